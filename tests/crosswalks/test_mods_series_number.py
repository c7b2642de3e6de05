"""A series' number in MODS ``relatedItem type="series"/titleInfo/partNumber`` (Zotero's
MODS export writes it there) is the volume in the series: it was read into the series'
title ("Lecture notes in computer science. 449"). The writer puts the volume in
``part/detail type="volume"``, where the reader finds it again.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from lxml import etree

from crosswalks import mods
from crosswalks.rli import RelatedTitle, RelatedTitleType
from crosswalks.validation import validate
from crosswalks.xmlsafe import parse_untrusted

RLI = [sys.executable, "-c", "from repository.cli import main; main()"]
M = "{http://www.loc.gov/mods/v3}"


def _record(series_title_info: str) -> bytes:
    return (
        '<mods xmlns="http://www.loc.gov/mods/v3" version="3.7">'
        "<titleInfo><title>Advances in cryptology</title><partNumber>Part 2</partNumber>"
        "</titleInfo>"
        f'<relatedItem type="series"><titleInfo>{series_title_info}</titleInfo></relatedItem>'
        "</mods>"
    ).encode()


def _series(data: bytes) -> tuple[RelatedTitle, tuple[str, ...]]:
    got = mods.read_resource(parse_untrusted(data))
    (series,) = got.value.citation.related_titles
    return series, got.losses


@pytest.mark.parametrize(("title_info", "title", "volume"), [
    ("<title>Lecture notes in computer science</title><partNumber>449</partNumber>",
     "Lecture notes in computer science", "449"),
    ("<title>Lecture notes in computer science</title><partNumber>449.</partNumber>",
     "Lecture notes in computer science", "449"),
    # a subseries' name stays in the title; the number is still the volume
    ("<title>Lecture notes in computer science</title>"
     "<partName>Lecture notes in artificial intelligence</partName><partNumber>1234</partNumber>",
     "Lecture notes in computer science. Lecture notes in artificial intelligence", "1234"),
    # MARC 490 $a ; $v, as LoC's stylesheet writes it: unchanged
    ("<title>Lecture notes in computer science ; 449</title>",
     "Lecture notes in computer science", "449"),
])
def test_a_series_part_number_is_its_volume(title_info: str, title: str, volume: str) -> None:
    series, losses = _series(_record(title_info))
    assert (series.title, series.type, series.volume) == (title, RelatedTitleType.SERIES, volume)
    assert losses == ()


def test_the_work_s_own_part_number_stays_in_its_title() -> None:
    got = mods.read_resource(parse_untrusted(_record("<title>LNCS</title>"))).value
    assert got.citation.title == "Advances in cryptology. Part 2"
    assert got.citation.volume == ""


def test_a_series_volume_is_written_where_the_reader_finds_it() -> None:
    read = mods.read_resource(parse_untrusted(_record(
        "<title>Lecture notes in computer science</title><partNumber>449</partNumber>"))).value
    written = mods.write_resource(read)
    validate(written, "mods")
    validate(written, "mods-3-7")
    related = written.find(f"{M}relatedItem[@type='series']")
    assert related is not None
    assert related.findtext(f"{M}titleInfo/{M}title") == "Lecture notes in computer science"
    assert related.findtext(f"{M}part/{M}detail[@type='volume']/{M}number") == "449"
    again, losses = _series(etree.tostring(written))
    assert again == read.citation.related_titles[0] and losses == ()


def test_rli_convert_mods_to_rli_keeps_the_series_number_apart(tmp_path: Path) -> None:
    path = tmp_path / "lncs.mods.xml"
    path.write_bytes(_record(
        "<title>Lecture notes in computer science</title><partNumber>449</partNumber>"))
    proc = subprocess.run([*RLI, "convert", "--from", "mods", "--to", "rli", str(path)],
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    root = parse_untrusted(proc.stdout.encode())
    validate(root, "rli")
    ns = "{http://www.imsglobal.org/services/rli/xsd/imsRLIManDataSchema_v1p0}"
    related = root.find(f".//{ns}relatedTitle")
    assert related is not None
    assert [t.text for t in related.iter("{*}text")] == ["Lecture notes in computer science"]
    assert related.findtext(f"{ns}volumeDesignation/{ns}metadataString") == "449"

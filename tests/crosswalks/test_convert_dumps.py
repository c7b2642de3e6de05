"""`rli convert` of what a real `rli serve` sends: ListRecords responses and `rli harvest -o`
dumps, one per metadataPrefix, each converted to every target."""

from __future__ import annotations

import subprocess
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from lxml import etree

from crosswalks.convert import TEXT_TARGETS, XML_TARGETS, convert
from crosswalks.oai_file import read_records
from crosswalks.rli import ResourceList, Section, binding, count_resources
from crosswalks.validation import validate
from tests.live_server import RLI, build_demo, rli_serve

PREFIXES = ("oai_dc", "mods", "lom", "rli")


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Path]]:
    """For each prefix: the ListRecords response the demo archive's server sent (validated)
    and the dump ``rli harvest -l URL -m PREFIX -o FILE`` wrote from the same server."""
    folder = tmp_path_factory.mktemp("dumps")
    files: dict[str, Path] = {}
    with rli_serve(build_demo(folder / "demo.db")) as server:
        for prefix in PREFIXES:
            answer = httpx.get(server.oai, params={"verb": "ListRecords",
                                                   "metadataPrefix": prefix}, timeout=30)
            assert answer.status_code == 200
            root = etree.fromstring(answer.content)
            validate(root, "oai-pmh")
            assert root.find("{*}ListRecords/{*}resumptionToken") is None  # one page: all lists
            files[f"response-{prefix}"] = folder / f"response-{prefix}.xml"
            files[f"response-{prefix}"].write_bytes(answer.content)
            dump = folder / f"dump-{prefix}.xml"
            subprocess.run([*RLI, "harvest", "-l", server.oai, "-m", prefix, "-o", str(dump)],
                           check=True, capture_output=True, timeout=120)
            files[f"dump-{prefix}"] = dump
    yield files


def _sections(lst: ResourceList) -> dict[str, int]:
    """Resources per section (one section per harvested list) of a converted file."""
    return {item.content.title: count_resources(ResourceList("x", "x", "x", items=(item,)))
            for item in lst.items if isinstance(item.content, Section)}


@pytest.mark.parametrize("shape", ["response", "dump"])
@pytest.mark.parametrize("prefix", ["mods", "lom"])
def test_lists_served_as_mods_or_lom_keep_their_items(
    served: dict[str, Path], shape: str, prefix: str,
) -> None:
    # rli serves a list as one MODS record with constituent relatedItems (one LOM record
    # with haspart relations): convert read it as one resource, dropping every item
    want = binding.read_list(convert(served[f"{shape}-rli"].read_bytes(), "rli", "rli").data)
    got = convert(served[f"{shape}-{prefix}"].read_bytes(), prefix, "rli")
    lst = binding.read_list(got.data)
    assert not [loss for loss in got.losses if "dropped (use read_list)" in loss]
    expected = {title: n for title, n in _sections(want).items() if n}
    assert {t: n for t, n in _sections(lst).items() if n} == expected
    assert count_resources(lst) >= sum(expected.values()) > 0


@pytest.mark.parametrize("to", XML_TARGETS + TEXT_TARGETS)
@pytest.mark.parametrize("prefix", PREFIXES)
@pytest.mark.parametrize("shape", ["response", "dump"])
def test_every_dump_converts_to_every_target(
    served: dict[str, Path], shape: str, prefix: str, to: str,
) -> None:
    path = served[f"{shape}-{prefix}"]
    got = convert(path.read_bytes(), prefix, to, name=path.stem)
    if to in XML_TARGETS:
        validate(etree.fromstring(got.data), to)
    else:
        assert got.data.strip()
    assert got.supplied  # the file names no list: identifier, title and owner are supplied


@pytest.mark.parametrize("prefix", PREFIXES)
@pytest.mark.parametrize("shape", ["response", "dump"])
def test_the_command_reports_in_plain_lines(
    served: dict[str, Path], shape: str, prefix: str, tmp_path: Path,
) -> None:
    out = tmp_path / "out.xml"
    proc = subprocess.run([*RLI, "convert", str(served[f"{shape}-{prefix}"]), "--from", prefix,
                           "--to", "rli", "-o", str(out)], capture_output=True, text=True,
                          timeout=120)
    assert proc.returncode == 0, proc.stderr
    lines = proc.stderr.splitlines()
    assert lines and all(line.startswith(("supplied: ", "lost: ")) for line in lines), lines
    assert not [line for line in lines if "dropped (use read_list)" in line]
    validate(etree.parse(str(out)).getroot(), "rli")


@pytest.mark.parametrize("genre", ["book", "bibliography"])
def test_a_catalogue_book_with_its_chapters_stays_one_resource(genre: str) -> None:
    """Catalogues give a book's contents as constituent relatedItems: such a record is the
    book (its author and publisher kept), not a list of its chapters, even when the book
    is a bibliography (MARC's genre term, which rli's own lists carry too)."""
    xml = b"""<OAI-PMH xmlns="http://www.openarchives.org/OAI/2.0/"
      xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"
      xsi:schemaLocation="http://www.openarchives.org/OAI/2.0/ http://www.openarchives.org/OAI/2.0/OAI-PMH.xsd">
      <responseDate>2026-12-03T10:00:00Z</responseDate>
      <request verb="ListRecords" metadataPrefix="mods">http://cat.example/oai</request>
      <ListRecords><record><header><identifier>oai:cat:1</identifier>
      <datestamp>2026-01-01</datestamp></header><metadata>
      <mods xmlns="http://www.loc.gov/mods/v3" version="3.8">
        <titleInfo><title>Collected Essays</title></titleInfo>
        <name type="personal"><namePart>Woolf, Virginia</namePart></name>
        <genre authority="marcgt">GENRE</genre>
        <originInfo><publisher>Hogarth Press</publisher><dateIssued>1966</dateIssued></originInfo>
        <relatedItem type="constituent"><titleInfo><title>Modern Fiction</title></titleInfo>
        </relatedItem>
        <relatedItem type="constituent"><titleInfo><title>The Leaning Tower</title></titleInfo>
        </relatedItem>
      </mods></metadata></record></ListRecords></OAI-PMH>"""
    root = etree.fromstring(xml.replace(b"GENRE", genre.encode()))
    validate(root, "oai-pmh")
    read = read_records(root)
    assert read.lists == ()
    (item,) = read.items
    assert item.content.citation.title == "Collected Essays"
    assert [c.name for c in item.content.citation.creators] == ["Woolf, Virginia"]
    assert item.content.citation.publisher == "Hogarth Press"

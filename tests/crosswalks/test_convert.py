"""`rli convert` and crosswalks.convert: every target from real sample records."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from lxml import etree

from crosswalks.convert import ConversionError, convert
from crosswalks.validation import validate
from tests import paths

SAMPLES = paths.SAMPLES
COLLECTION = SAMPLES / "mods" / "bibutils-collection-2articles-1book.mods.xml"
BOOK = SAMPLES / "mods" / "loc-lccn-2010045158-book.mods.xml"
LOM = SAMPLES / "lom" / "fontys-elo-38aa67ab.lom.xml"
RLI = [sys.executable, "-c", "from repository.cli import main; main()"]


@pytest.mark.parametrize("to", ["oai_dc", "mods", "lom", "rli"])
@pytest.mark.parametrize("path,from_", [(COLLECTION, "mods"), (BOOK, "mods"), (LOM, "lom")])
def test_xml_targets_validate(path: Path, from_: str, to: str) -> None:
    out = convert(path.read_bytes(), from_, to, name=path.stem).data
    validate(etree.fromstring(out), to)


def test_collection_to_csl_json_keeps_every_item() -> None:
    items = json.loads(convert(COLLECTION.read_bytes(), "mods", "csl-json").data)
    assert [i["type"] for i in items] == ["article-journal", "article-journal", "book"]
    assert items[0]["container-title"] == "Aquatic Microbial Ecology"


def test_openurl_links_use_the_resolver() -> None:
    out = convert(COLLECTION.read_bytes(), "mods", "openurl",
                  resolver="https://resolver.example.edu/openurl").data.decode()
    links = out.split()
    assert len(links) == 3
    first = urlsplit(links[0])
    assert first.netloc == "resolver.example.edu"
    query = parse_qs(first.query)
    assert query["rft.genre"] == ["article"] and query["rft.issn"] == ["0948-3055"]
    assert parse_qs(urlsplit(links[2]).query)["rft.genre"] == ["book"]


@pytest.mark.parametrize("data,from_,needle", [
    (b"not xml", "mods", "line 1"),
    (LOM.read_bytes(), "mods", "is not mods"),
    (b'<!DOCTYPE a [<!ENTITY x "y">]><a>&x;</a>', "oai_dc", "entit"),
])
def test_bad_input(data: bytes, from_: str, needle: str) -> None:
    with pytest.raises(ConversionError, match=needle):
        convert(data, from_, "rli")


def test_cli_converts_and_reports_losses(tmp_path: Path) -> None:
    out = tmp_path / "out.ris"
    proc = subprocess.run([*RLI, "convert", str(COLLECTION), "--from", "mods", "--to", "ris",
                           "-o", str(out)], capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0, proc.stderr
    assert out.read_text().count("ER  - ") == 3
    assert "lost:" in proc.stderr


def test_cli_bad_input_is_one_line(tmp_path: Path) -> None:
    bad = tmp_path / "bad.xml"
    bad.write_text("<<<")
    proc = subprocess.run([*RLI, "convert", str(bad), "--from", "mods", "--to", "rli"],
                          capture_output=True, text=True, timeout=60)
    assert proc.returncode == 1 and "Traceback" not in proc.stderr
    assert len(proc.stderr.strip().splitlines()) == 1


@pytest.mark.parametrize("path", [BOOK, COLLECTION])  # a single record, a collection
def test_a_resolver_that_is_no_url_is_one_line_with_its_quotes(path: Path) -> None:
    # the single record's writer ran outside the error handling (exit 70, a class name);
    # the collection's message lost its closing quote to a strip of quotes
    proc = subprocess.run([*RLI, "convert", str(path), "--from", "mods", "--to", "openurl",
                           "--resolver", "resolver.example.edu/openurl"],
                          capture_output=True, text=True, timeout=60)
    assert proc.returncode == 1, proc.stderr
    assert proc.stderr.strip().splitlines() == [
        "Error: resolver base must be an absolute http(s) URL, not"
        " 'resolver.example.edu/openurl'"]

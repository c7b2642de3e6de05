"""Issue 17 on real public records, through the real command line.

`rli convert` (to rli, RIS, BibTeX, CSL-JSON) and `rli import` + `rli export`
run as subprocesses on records from tests/samples (origins in SOURCES.md):

- Erasmus University Rotterdam's DSpace (2004, oai_dc), which writes every
  ``dc:creator`` a second time as a ``dc:contributor``: the authors are the
  creators, each once, and the report says the repeats were kept once.
- ENS Lyon Planet-Terre LOM records (French, 2004-2006) whose ``entity``
  elements are plain names, not vCards: each name is read, in its role
  (author, editor, publisher; content provider and validator dropped with a
  loss line), and an author given twice (first and last version) is one author.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
from lxml import etree

from tests import paths

RLI = [sys.executable, "-c", "from repository.cli import main; main()"]
SAMPLES = paths.SAMPLES
EUR_ONE = SAMPLES / "oai_dc" / "eur-dspace-2004-GetRecord-creator-as-contributor.xml"
EUR_MANY = SAMPLES / "oai_dc" / "eur-dspace-2004-ListRecords-creators-as-contributors.xml"
COURTILLOT = SAMPLES / "lom" / "ens-lyon-planet-terre-courtillot-plain-names.lom.xml"
FERROIR = SAMPLES / "lom" / "ens-lyon-planet-terre-ferroir-content-provider-validator.lom.xml"
EAUMARS = SAMPLES / "lom" / "ens-lyon-planet-terre-eaumars2004-author-twice.lom.xml"
OAI = "{http://www.openarchives.org/OAI/2.0/}"
DC = "{http://purl.org/dc/elements/1.1/}"
RLI_NS = "{http://www.imsglobal.org/services/rli/xsd/imsRLIManDataSchema_v1p0}"
ROLE = "{urn:x-rli:extension:1.0}role"


def rli(*args: str) -> subprocess.CompletedProcess[str]:
    proc = subprocess.run([*RLI, *args], capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, f"rli {args}: {proc.stderr}"
    return proc


def convert(path: Path, from_: str, to: str) -> tuple[str, list[str]]:
    """What `rli convert` writes, and its loss report (one line each)."""
    proc = rli("convert", "--from", from_, "--to", to, str(path))
    return proc.stdout, proc.stderr.splitlines()


def ris_field(tag: str, ris: str) -> list[list[str]]:
    """Per RIS record, the values of ``tag`` in order."""
    return [re.findall(rf"^{tag}  - ([^\r\n]*)", rec, re.M) for rec in ris.split("ER  - ")[:-1]]


def bibtex_field(name: str, bibtex: str) -> list[str]:
    return [m.group(1) for m in re.finditer(rf"^\s*{name} = \{{(.*)\}},?$", bibtex, re.M)]


def rli_creators(xml: str) -> list[list[tuple[str, str]]]:
    """Per rli:resource, (name, role) of each citation creator; role '' is an author."""
    root = etree.fromstring(xml.encode())
    return [
        [("".join(c.itertext()).strip(), c.get(ROLE, ""))
         for c in res.iterfind(f"{RLI_NS}resourceMetadata/{RLI_NS}citation/{RLI_NS}creator")]
        for res in root.iter(f"{RLI_NS}resource")
    ]


def dspace_records(path: Path) -> list[tuple[str, list[str], list[str]]]:
    """(identifier, dc:creator values, dc:contributor values) of each record with metadata."""
    root = etree.parse(str(path)).getroot()
    return [
        (rec.findtext(f"{OAI}header/{OAI}identifier") or "",
         [c.text or "" for c in rec.iter(f"{DC}creator")],
         [c.text or "" for c in rec.iter(f"{DC}contributor")])
        for rec in root.iter(f"{OAI}record") if rec.find(f"{OAI}metadata") is not None
    ]


# --- DSpace oai_dc: each creator repeated as a contributor ---------------------


def test_dspace_sample_has_the_shape() -> None:
    """Guard: every contributor of every record is one of its creators (what EUR's DSpace wrote)."""
    records = dspace_records(EUR_MANY)
    assert len(records) == 79
    assert all(set(contribs) == set(creators) for _, creators, contribs in records)
    assert sum(len(creators) > 1 for _, creators, _ in records) >= 20


@pytest.mark.parametrize("to", ["ris", "bibtex", "csl-json", "rli"])
def test_dspace_one_record_names_its_creator_once(to: str) -> None:
    out, report = convert(EUR_ONE, "oai_dc", to)
    assert "lost: hdl:1765/1162: dc:contributor: 1 name(s) repeating a dc:creator kept once" \
        in report
    if to == "ris":
        assert ris_field("AU", out) == [["Cavelaars, P.A.D."]]
        assert ris_field("A2", out) == [[]]
    elif to == "bibtex":
        assert bibtex_field("author", out) == ["Cavelaars, P.A.D."]
        assert bibtex_field("editor", out) == []
    elif to == "csl-json":
        (item,) = json.loads(out)
        assert item["author"] == [{"family": "Cavelaars", "given": "P.A.D."}]
        assert set(item) & {"editor", "contributor"} == set()
    else:
        assert rli_creators(out) == [[("Cavelaars, P.A.D.", "")]]


def test_dspace_list_authors_are_exactly_the_creators() -> None:
    records = dspace_records(EUR_MANY)
    ris, report = convert(EUR_MANY, "oai_dc", "ris")
    assert ris_field("AU", ris) == [creators for _, creators, _ in records]
    assert ris_field("A2", ris) == [[] for _ in records]
    # hdl:1765/9 by hand: two authors, interleaved with their repeats in the source
    assert ris_field("AU", ris)[0] == ["Jong, G. de", "Nooteboom, B."]
    repeats = [line for line in report if "repeating a dc:creator kept once" in line]
    assert len(repeats) == len(records)
    assert "lost: hdl:1765/9: dc:contributor: 2 name(s) repeating a dc:creator kept once" \
        in repeats

    items = json.loads(convert(EUR_MANY, "oai_dc", "csl-json")[0])
    assert [[a.get("family") or a.get("literal") for a in i.get("author", [])] for i in items] \
        == [[c.split(",")[0] for c in creators] for _, creators, _ in records]
    assert not any({"editor", "contributor"} & set(i) for i in items)

    bibtex = convert(EUR_MANY, "oai_dc", "bibtex")[0]
    assert bibtex_field("author", bibtex) == [" and ".join(c) for _, c, _ in records]

    rli_xml = convert(EUR_MANY, "oai_dc", "rli")[0]
    assert rli_creators(rli_xml) == [[(c, "") for c in creators] for _, creators, _ in records]


def test_dspace_import_keeps_each_creator_once(tmp_path: Path) -> None:
    db = str(tmp_path / "rli.db")
    imported = rli("--db", db, "import", "--id", "eur", str(EUR_MANY))
    assert "not kept: hdl:1765/9: dc:contributor: 2 name(s) repeating a dc:creator kept once" \
        in imported.stdout + imported.stderr
    ris = rli("--db", db, "export", "eur", "--format", "ris").stdout
    assert ris_field("AU", ris) == [creators for _, creators, _ in dspace_records(EUR_MANY)]


# --- LOM with plain-name entities (ENS Lyon Planet-Terre) ----------------------


@pytest.mark.parametrize("to", ["ris", "bibtex", "csl-json", "rli"])
def test_lom_plain_names_keep_their_roles(to: str) -> None:
    out, report = convert(COURTILLOT, "lom", to)
    assert not any("without a name" in line or "read as" in line for line in report), report
    if to == "ris":
        assert ris_field("AU", out) == [["Vincent Courtillot"]]
        assert ris_field("A2", out) == [["Florence Kalfoun"]]
        assert ris_field("PB", out) == [["ENS Lyon"]]
    elif to == "bibtex":
        assert bibtex_field("author", out) == ["{Vincent Courtillot}"]
        assert bibtex_field("editor", out) == ["{Florence Kalfoun}"]
        assert bibtex_field("publisher", out) == ["ENS Lyon"]
    elif to == "csl-json":
        (item,) = json.loads(out)
        assert item["author"] == [{"literal": "Vincent Courtillot"}]
        assert item["editor"] == [{"literal": "Florence Kalfoun"}]
        assert item["publisher"] == "ENS Lyon"
    else:
        assert rli_creators(out) == [[("Vincent Courtillot", ""), ("Florence Kalfoun", "editor")]]


def test_lom_content_provider_and_validator_are_dropped_and_reported() -> None:
    ris, report = convert(FERROIR, "lom", "ris")
    assert ris_field("AU", ris) == [["Tristan Ferroir"]]
    assert ris_field("A2", ris) == [["Florence Kalfoun"]]
    assert "lost: contributor 'Tristan Ferroir' (content provider) dropped: not a creator" \
        in report
    assert "lost: contributor 'Pierre Thomas' (validator) dropped: not a creator" in report
    (item,) = json.loads(convert(FERROIR, "lom", "csl-json")[0])
    assert item["author"] == [{"literal": "Tristan Ferroir"}]
    assert "Pierre Thomas" not in json.dumps(item)


@pytest.mark.parametrize("to", ["ris", "bibtex", "csl-json", "rli"])
def test_lom_author_given_twice_is_one_author(to: str) -> None:
    """The record names Pierre Thomas as author twice (first and last version): one author."""
    out, report = convert(EAUMARS, "lom", to)
    assert "lost: contribute: author 'Pierre Thomas' repeated, kept once" \
        " (its date 2004-06-17 dropped)" in report
    if to == "ris":
        assert ris_field("AU", out) == [["Pierre Thomas"]]
        assert ris_field("A2", out) == [["Yvan Formenti", "Florence Kalfoun"]]
    elif to == "bibtex":
        assert bibtex_field("author", out) == ["{Pierre Thomas}"]
    elif to == "csl-json":
        (item,) = json.loads(out)
        assert item["author"] == [{"literal": "Pierre Thomas"}]
    else:
        assert rli_creators(out) == [[("Pierre Thomas", ""), ("Yvan Formenti", "editor"),
                                      ("Florence Kalfoun", "editor")]]


def test_lom_import_keeps_plain_names(tmp_path: Path) -> None:
    db = str(tmp_path / "rli.db")
    for path, list_id in ((COURTILLOT, "courtillot"), (FERROIR, "ferroir"), (EAUMARS, "eaumars")):
        imported = rli("--db", db, "import", "--id", list_id, str(path))
        assert "without a name" not in imported.stdout + imported.stderr
    authors = [ris_field("AU", rli("--db", db, "export", list_id, "--format", "ris").stdout)
               for list_id in ("courtillot", "ferroir", "eaumars")]
    assert authors == [[["Vincent Courtillot"]], [["Tristan Ferroir"]], [["Pierre Thomas"]]]

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
# (file, the authors as the record lists them in dc:creator)
EUR_RECORDS = [
    ("eur-dspace-2004-hdl-1765-9-two-authors.oai_dc.xml", ["Jong, G. de", "Nooteboom, B."]),
    ("eur-dspace-2004-hdl-1765-812-working-paper-isbn.oai_dc.xml",
     ["Dalen, H.P. van", "Henkens, K."]),
    ("eur-dspace-2004-hdl-1765-1119-five-authors.oai_dc.xml",
     ["Cachet, A.", "Daemen, H.H.F.M.", "Noppe, R.M.", "Ringeling, A.B.", "Schaap, L."]),
]
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


def dc_names(path: Path) -> tuple[list[str], list[str]]:
    """(dc:creator values, dc:contributor values) of an oai_dc record, in order."""
    root = etree.parse(str(path)).getroot()
    return ([c.text or "" for c in root.iter(f"{DC}creator")],
            [c.text or "" for c in root.iter(f"{DC}contributor")])


# --- DSpace oai_dc: each creator repeated as a contributor ---------------------


@pytest.mark.parametrize(("name", "authors"), EUR_RECORDS)
def test_dspace_samples_have_the_shape(name: str, authors: list[str]) -> None:
    """Guard: EUR's DSpace wrote each creator again as a contributor, interleaved."""
    creators, contributors = dc_names(SAMPLES / "oai_dc" / name)
    assert creators == contributors == authors


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


@pytest.mark.parametrize(("name", "authors"), EUR_RECORDS)
def test_dspace_authors_are_exactly_the_creators(name: str, authors: list[str]) -> None:
    path = SAMPLES / "oai_dc" / name
    ris, report = convert(path, "oai_dc", "ris")
    assert ris_field("AU", ris) == [authors]
    assert ris_field("A2", ris) == [[]]
    assert f"lost: dc:contributor: {len(authors)} name(s) repeating a dc:creator kept once" \
        in report

    (item,) = json.loads(convert(path, "oai_dc", "csl-json")[0])
    assert [a["family"] for a in item["author"]] == [a.split(",")[0] for a in authors]
    assert {"editor", "contributor"} & set(item) == set()

    bibtex = convert(path, "oai_dc", "bibtex")[0]
    assert bibtex_field("author", bibtex) == [" and ".join(authors)]
    assert bibtex_field("editor", bibtex) == []

    assert rli_creators(convert(path, "oai_dc", "rli")[0]) == [[(a, "") for a in authors]]


def test_dspace_import_keeps_each_creator_once(tmp_path: Path) -> None:
    db = str(tmp_path / "rli.db")
    paths_ = [SAMPLES / "oai_dc" / name for name, _ in EUR_RECORDS]
    imported = rli("--db", db, "import", *map(str, paths_))
    report = imported.stdout + imported.stderr
    assert "not kept: dc:contributor: 5 name(s) repeating a dc:creator kept once" in report
    for path, (_, authors) in zip(paths_, EUR_RECORDS, strict=True):
        list_id = path.name.removesuffix(".oai_dc.xml")
        ris = rli("--db", db, "export", list_id, "--format", "ris").stdout
        assert ris_field("AU", ris) == [authors]


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

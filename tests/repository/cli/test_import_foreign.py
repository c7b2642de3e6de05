"""`rli import` of files rli did not write (issues 19 and 12): real `rli` processes, real SQLite.

Discovery+ RLI lists and a single resource, OAI-PMH responses and the one-shot
harvest dump, IMS MD 1.2 / Triple-L LOM: each imported with a report of what
was supplied and what was not kept; exports are rli's form and re-import
byte-identically.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from lxml import etree

from crosswalks.rli import binding, iter_resources
from crosswalks.validation import validate
from tests.crosswalks.rli.test_public import DPLUS, dc2rli_list, dc_sources, marc2rli_list
from tests.repository.cli.test_archive import assert_refused, dump, rli

SAMPLES = Path(__file__).parents[2] / "samples"
PROV = "http://www.openarchives.org/OAI/2.0/provenance"


@pytest.fixture
def lists(tmp_path: Path) -> dict[str, Path]:
    files = {"dc2rli-list": dc2rli_list(), "marc2rli-list": marc2rli_list()}
    for name, data in files.items():
        (tmp_path / f"{name}.rli.xml").write_bytes(data)
    return {name: tmp_path / f"{name}.rli.xml" for name in files}


def test_import_discovery_plus_lists_with_report(tmp_path: Path, lists: dict[str, Path]) -> None:
    db = tmp_path / "a.db"
    out = rli(db, "import", str(lists["dc2rli-list"]), "--owner", "ms-smith").stdout
    assert out.startswith("dc2rli-list: version 1")
    assert "supplied: 3 item ids" in out and "supplied: list identifier 'dc2rli-list'" in out
    assert "not kept:" in out and "repeated location" in out
    out = rli(db, "import", str(lists["marc2rli-list"]), "--id", "chabon").stdout
    assert out.startswith("chabon: version 1") and "supplied: owner 'unknown'" in out
    rows = {r["id"]: r for r in json.loads(rli(db, "lists", "--json").stdout)}
    assert rows["dc2rli-list"]["owner"] == "ms-smith" and rows["dc2rli-list"]["items"] == 3
    assert rows["chabon"]["owner"] == "unknown" and rows["chabon"]["items"] == 3
    exported = rli(db, "export", "dc2rli-list").stdout.encode()
    validate(etree.fromstring(exported), "rli")
    lst = binding.read_list(exported)
    for (_, res), src in zip(iter_resources(lst.items), dc_sources()):
        assert res.title == src["title"][0]
        assert [c.name for c in res.citation.creators] == src["creator"]
        assert [loc.locator for loc in res.locations] == src["identifier"][:1]


def test_export_reimports_byte_identically(tmp_path: Path, lists: dict[str, Path]) -> None:
    first, second = tmp_path / "1.db", tmp_path / "2.db"
    rli(first, "import", str(lists["marc2rli-list"]))
    exported = tmp_path / "marc2rli-list.xml"
    rli(first, "export", "marc2rli-list", "-o", str(exported))
    out = rli(second, "import", str(exported)).stdout
    assert "supplied" not in out and "not kept" not in out  # rli's own form: nothing to report
    again = tmp_path / "again.xml"
    rli(second, "export", "marc2rli-list", "-o", str(again))
    assert again.read_bytes() == exported.read_bytes()


def test_single_resource_becomes_a_list_or_joins_one(tmp_path: Path,
                                                     lists: dict[str, Path]) -> None:
    db = tmp_path / "a.db"
    single = DPLUS / "dc2rli-resource-unimaas-arno-3326.rli.xml"
    out = rli(db, "import", str(single)).stdout
    assert out.startswith("dc2rli-resource-unimaas-arno-3326: version 1")
    assert "one-item list" in out
    rli(db, "import", str(lists["dc2rli-list"]))
    out = rli(db, "import", str(single), "--to", "dc2rli-list").stdout
    assert out.startswith("dc2rli-list: version 2") and "added: 1 resource(s)" in out
    assert json.loads(rli(db, "lists", "--json").stdout)[0]["items"] == 4
    before = dump(db)
    assert_refused(rli(db, "import", str(single), "--to", "nosuch", check=False), "nosuch")
    assert dump(db) == before


def test_missing_title_refused_missing_extensions_not(tmp_path: Path) -> None:
    db = tmp_path / "a.db"
    rli(db, "init")
    data = dc2rli_list()
    untitled = tmp_path / "untitled.xml"
    untitled.write_bytes(data.replace(b"My Resource List", b""))
    before = dump(db)
    assert_refused(rli(db, "import", str(untitled), check=False), "no title")
    assert dump(db) == before


def test_oai_response_import_keeps_provenance(tmp_path: Path) -> None:
    db = tmp_path / "a.db"
    response = SAMPLES / "oai_dc" / "tudelft-2004-ListRecords-oai_dc.xml"
    out = rli(db, "import", str(response)).stdout
    assert out.startswith("tudelft-2004-ListRecords-oai_dc: version 1")
    exported = rli(db, "export", "tudelft-2004-ListRecords-oai_dc").stdout.encode()
    validate(etree.fromstring(exported), "rli")
    lst = binding.read_list(exported)
    resources = [res for _, res in iter_resources(lst.items)]
    assert [r.title for r in resources] == [s["title"][0] for s in dc_sources()]
    origins = [etree.fromstring(r.extensions[0].xml) for r in resources]
    assert [o.findtext(f".//{{{PROV}}}identifier") for o in origins] == [
        "oai:tudelft.nl:007087", "oai:tudelft.nl:007192", "oai:tudelft.nl:007193"]
    assert {o.findtext(f".//{{{PROV}}}baseURL") for o in origins} == {
        "http://repository.tudelft.nl/oai"}


def test_a_datestamp_that_is_no_oai_date_gives_valid_provenance(tmp_path: Path) -> None:
    # Harvard's LibraryCloud sends datestamps as 20210311: copied as sent, every record's
    # provenance was invalid, and the list's OAI records with it
    db = tmp_path / "a.db"
    out = rli(db, "import", str(SAMPLES / "oai" / "harvard-librarycloud-ListRecords-mods.xml"))
    assert "Traceback" not in out.stderr
    exported = rli(db, "export", "harvard-librarycloud-ListRecords-mods").stdout.encode()
    resources = [res for _, res in iter_resources(binding.read_list(exported).items)]
    holders = [etree.fromstring(e.xml) for r in resources for e in r.extensions
               if e.xml.startswith("<prov:provenance")]
    assert len(holders) == len(resources) > 0
    for holder in holders:
        validate(holder, "oai-pmh")  # the provenance schema, as in an OAI response
        assert holder.findtext(f".//{{{PROV}}}datestamp") == "2021-03-11"


def test_triple_l_and_imsmd_records_are_imported(tmp_path: Path) -> None:
    db = tmp_path / "a.db"
    out = rli(db, "import", str(SAMPLES / "oai" / "triple-l-ListRecords-imsmd-like.xml")).stdout
    assert "version 1" in out
    (row,) = json.loads(rli(db, "lists", "--json").stdout)
    assert row["items"] == 19


def test_one_shot_dump_is_imported_and_converted(tmp_path: Path) -> None:
    from tests.peers.pyoai_peer import pyoai_app
    from tests.peers.serve import serve
    from tests.repository.cli.test_harvest import recs

    records = recs(5)
    db, out = tmp_path / "a.db", tmp_path / "dump.xml"
    with serve(pyoai_app(records, batch_size=2)) as url:
        rli(db, "harvest", "-l", url, "-o", str(out), "-m", "oai_dc")
    shown = rli(db, "import", str(out), "--id", "dumped").stdout
    assert shown.startswith("dumped: version 1")
    lst = binding.read_list(rli(db, "export", "dumped").stdout.encode())
    resources = [res for _, res in iter_resources(lst.items)]
    assert [r.title for r in resources] == [r.title for r in records]
    idents = [etree.fromstring(r.extensions[0].xml).findtext(f".//{{{PROV}}}identifier")
              for r in resources]
    assert idents == [r.identifier for r in records]
    ris = rli(db, "convert", str(out), "--from", "oai_dc", "--to", "ris").stdout
    assert ris.count("TY  - ") == len(records)


def test_a_response_with_nothing_readable_is_refused(tmp_path: Path) -> None:
    db = tmp_path / "a.db"
    rli(db, "init")
    before = dump(db)
    deleted = SAMPLES / "oai_dc" / "tudelft-2004-ListRecords-deleted.xml"
    assert_refused(rli(db, "import", str(deleted), check=False), "1 deleted record(s) skipped")
    assert dump(db) == before
    proc = rli(db, "convert", str(deleted), "--from", "oai_dc", "--to", "rli", check=False)
    assert_refused(proc, "none of the 1 records could be read")


def test_a_harvested_public_shape_list_is_named_as_the_harvest_names_it(tmp_path: Path) -> None:
    """A public-shape RLI list in a file of harvested records names no identifier: it takes
    its record's OAI identifier as ``rli harvest`` does (it was ``<file name>-2``)."""
    from crosswalks.oai_file import harvested_list_id
    from harvester.shared.protocol import OAI_NS

    identifier = "oai:elf.example:lists/tudelft 1"
    root = etree.Element(f"{{{OAI_NS}}}OAI-PMH", nsmap={None: OAI_NS})
    etree.SubElement(root, f"{{{OAI_NS}}}responseDate").text = "2026-01-02T00:00:00Z"
    etree.SubElement(root, f"{{{OAI_NS}}}request", verb="ListRecords",
                     metadataPrefix="rli").text = "https://elf.example/oai"
    record = etree.SubElement(etree.SubElement(root, f"{{{OAI_NS}}}ListRecords"),
                              f"{{{OAI_NS}}}record")
    header = etree.SubElement(record, f"{{{OAI_NS}}}header")
    etree.SubElement(header, f"{{{OAI_NS}}}identifier").text = identifier
    etree.SubElement(header, f"{{{OAI_NS}}}datestamp").text = "2026-01-01"
    etree.SubElement(record, f"{{{OAI_NS}}}metadata").append(etree.fromstring(dc2rli_list()))
    response = tmp_path / "elf-response.xml"
    response.write_bytes(etree.tostring(root, xml_declaration=True, encoding="UTF-8"))
    db = tmp_path / "a.db"
    out = rli(db, "import", str(response)).stdout
    name = harvested_list_id(identifier)
    assert out.startswith(f"{name}: version 1")
    assert f"supplied: list identifier '{name}' (from the OAI identifier)" in out
    (row,) = json.loads(rli(db, "lists", "--json").stdout)
    assert row["id"] == name

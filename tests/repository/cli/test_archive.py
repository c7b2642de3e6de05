"""The archive's CLI as a user runs it: real `rli` processes on a real SQLite file.

Every bad input gets one clear line on stderr, a non-zero exit, no traceback,
and leaves the archive byte-for-byte as it was (compared by a full SQL dump).
"""

from __future__ import annotations

import hashlib
import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from crosswalks.rli import binding
from crosswalks.validation import validate
from tests.factories import article, make_list

RLI = [sys.executable, "-c", "from repository.cli import main; main()"]


def rli(db: Path, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "RLI_EDITOR": "tester"}
    proc = subprocess.run([*RLI, "--db", str(db), *args], capture_output=True, text=True,
                          env=env, timeout=60)
    if check and proc.returncode != 0:
        raise AssertionError(f"rli {args} failed: {proc.stderr}")
    return proc


def dump(db: Path) -> str:
    conn = sqlite3.connect(db)
    try:
        return hashlib.sha256("\n".join(conn.iterdump()).encode()).hexdigest()
    finally:
        conn.close()


def assert_refused(proc: subprocess.CompletedProcess[str], needle: str = "") -> None:
    lines = [ln for ln in proc.stderr.splitlines() if ln.strip()]
    assert proc.returncode != 0, proc.stdout
    assert "Traceback" not in proc.stderr
    assert len(lines) == 1, proc.stderr
    assert lines[0].startswith("Error:"), lines
    assert needle.lower() in lines[0].lower(), lines[0]


def test_import_export_round_trip_same_sha(seeded: Path, tmp_path: Path) -> None:
    out = tmp_path / "out.xml"
    rli(seeded, "export", "hist2041", "-o", str(out))
    validate(out.read_bytes(), "rli")
    history = json.loads(rli(seeded, "history", "hist2041", "--json").stdout)
    assert history[0]["sha256"] == hashlib.sha256(out.read_bytes()).hexdigest()
    other = tmp_path / "other.db"
    rli(other, "import", str(out))
    again = json.loads(rli(other, "history", "hist2041", "--json").stdout)
    assert again[0]["sha256"] == history[0]["sha256"]


def test_edit_makes_version_2_and_v1_exports_identically(seeded: Path, tmp_path: Path) -> None:
    v1 = rli(seeded, "export", "hist2041", "--version", "1").stdout
    res = tmp_path / "res.xml"
    res.write_bytes(binding.write_resource(article()))
    proc = rli(seeded, "edit", "hist2041", "--title", "New title", "--add-file", str(res),
               "--remove", "i3", "--move", "i5", "--to", "1", "--note", "term 2 update")
    assert "version 2" in proc.stdout
    assert rli(seeded, "export", "hist2041", "--version", "1").stdout == v1
    history = json.loads(rli(seeded, "history", "hist2041", "--json").stdout)
    assert [(h["version"], h["editor"], h["note"]) for h in history] == [
        (1, "tester", "imported"), (2, "tester", "term 2 update")]
    diff = rli(seeded, "diff", "hist2041", "1", "2").stdout
    assert "- [i3]" in diff and "> [i5]" in diff and "+ [i7]" in diff and "~ title" in diff
    assert "> [s1]" not in diff and "> [i4]" not in diff


def test_lists_json_and_show(seeded: Path) -> None:
    rows = json.loads(rli(seeded, "lists", "--json").stdout)
    assert rows == [{"id": "hist2041", "title": "Social History of Britain",
                     "owner": "dr.amira.haddad", "version": 1, "items": 5, "deleted": False,
                     "datestamp": rows[0]["datestamp"], "pending_changes": 0}]
    shown = rli(seeded, "show", "hist2041").stdout
    assert "== Week 1 ==" in shown and "Watson, J. D." in shown


def test_show_links_items_to_the_library_resolver(seeded: Path) -> None:
    out = rli(seeded, "show", "hist2041", "--resolver", "https://resolver.example.edu/ou").stdout
    links = [ln.split("-> ", 1)[1] for ln in out.splitlines() if "-> https://" in ln]
    assert len(links) == 5
    assert any("rft_id=info%3Adoi%2F10.1038%2F171737a0" in ln for ln in links)
    assert_refused(rli(seeded, "show", "hist2041", "--resolver", "not a url", check=False))


def test_new_annotate_delete(tmp_path: Path) -> None:
    db = tmp_path / "rli.db"
    rli(db, "new", "--title", "Empty Shell", "--owner", "prof.x", "--course", "LAW101")
    rli(db, "annotate", "empty-shell", "Reading list to follow")
    assert json.loads(rli(db, "lists", "--json").stdout)[0]["version"] == 2
    rli(db, "delete", "empty-shell", "--note", "course closed")
    rows = json.loads(rli(db, "lists", "--json").stdout)
    assert rows[0]["deleted"] is True
    assert "course closed" in rli(db, "show", "empty-shell").stdout


BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>
<resourceList xmlns="http://www.imsglobal.org/services/rli/xsd/imsRLIManDataSchema_v1p0">&lol3;</resourceList>"""
XXE = b"""<?xml version="1.0"?>
<!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]>
<resourceList xmlns="http://www.imsglobal.org/services/rli/xsd/imsRLIManDataSchema_v1p0">&x;</resourceList>"""

BAD_FILES = {
    "not-xml": (b"this is not XML at all", "line"),
    "wrong-namespace": (b'<resourceList xmlns="urn:other"><x/></resourceList>', ""),
    "schema": (b'<resourceList xmlns="http://www.imsglobal.org/services/rli/xsd/'
               b'imsRLIManDataSchema_v1p0"><bogus/></resourceList>', "line"),
    "billion-laughs": (BILLION_LAUGHS, "entit"),
    "xxe": (XXE, "entit"),
    "empty": (b"", ""),
}


@pytest.mark.parametrize("name", sorted(BAD_FILES))
def test_bad_import_refused_archive_unchanged(seeded: Path, tmp_path: Path, name: str) -> None:
    data, needle = BAD_FILES[name]
    bad = tmp_path / f"{name}.xml"
    bad.write_bytes(data)
    before = dump(seeded)
    proc = rli(seeded, "import", str(bad), check=False)
    assert_refused(proc, needle)
    assert str(bad) in proc.stderr
    assert dump(seeded) == before


def test_50mb_file_refused(seeded: Path, tmp_path: Path) -> None:
    big = tmp_path / "big.xml"
    with big.open("wb") as fh:
        fh.write(b'<resourceList xmlns="urn:x">')
        fh.write(b"<a>" + b"x" * (50 * 1024 * 1024) + b"</a></resourceList>")
    before = dump(seeded)
    assert_refused(rli(seeded, "import", str(big), check=False), "limit")
    assert dump(seeded) == before


def test_duplicate_identifier_refused(seeded: Path, tmp_path: Path) -> None:
    again = tmp_path / "again.xml"
    again.write_bytes(binding.write_list(make_list(items=2, title="Another")))
    before = dump(seeded)
    assert_refused(rli(seeded, "import", str(again), check=False), "already exists")
    assert dump(seeded) == before


UNKNOWN = [
    ("show", "nope"),
    ("history", "nope"),
    ("export", "nope"),
    ("diff", "nope", "1", "2"),
    ("edit", "nope", "--title", "x", "--note", "n"),
    ("annotate", "nope", "text"),
    ("delete", "nope"),
    ("show", "hist2041", "--version", "9"),
    ("export", "hist2041", "--version", "9"),
    ("diff", "hist2041", "1", "9"),
    ("edit", "hist2041", "--remove", "zz", "--note", "n"),
    ("annotate", "hist2041", "--item", "zz", "text"),
]


@pytest.mark.parametrize("args", UNKNOWN, ids=lambda a: "-".join(a))
def test_unknown_list_or_version(seeded: Path, args: tuple[str, ...]) -> None:
    before = dump(seeded)
    assert_refused(rli(seeded, *args, check=False))
    assert dump(seeded) == before


def test_missing_archive_is_one_line(tmp_path: Path) -> None:
    assert_refused(rli(tmp_path / "none.db", "lists", check=False), "no archive")


@pytest.mark.parametrize("fmt", ["oai_dc", "mods", "lom", "rli"])
def test_export_xml_formats_validate(seeded: Path, fmt: str) -> None:
    data = rli(seeded, "export", "hist2041", "--format", fmt).stdout.encode()
    validate(data, fmt)


@pytest.mark.parametrize("fmt,marker", [("ris", "TY  - "), ("bibtex", "@article{"),
                                        ("csl-json", '"type": "article-journal"')])
def test_export_citation_formats(seeded: Path, fmt: str, marker: str) -> None:
    out = rli(seeded, "export", "hist2041", "--format", fmt).stdout
    assert marker in out
    if fmt == "csl-json":
        assert len(json.loads(out)) == 5


@pytest.mark.parametrize("fmt,field", [("ris", "N1  - "), ("bibtex", "note = {"),
                                       ("csl-json", '"note": "')])
def test_an_items_note_is_in_its_citation(seeded: Path, tmp_path: Path, fmt: str,
                                          field: str) -> None:
    # found in review: only the resources were cited, so a note on a list's item (rli
    # annotate --item, the pages' note form) was in MODS but in no citation export
    rli(seeded, "annotate", "hist2041", "--item", "i3", "Read before week 2")
    out = rli(seeded, "export", "hist2041", "--format", fmt).stdout
    assert f"{field}Read before week 2" in out
    document = tmp_path / "list.xml"
    document.write_text(rli(seeded, "export", "hist2041").stdout)
    assert f"{field}Read before week 2" in rli(seeded, "convert", str(document), "--from",
                                               "rli", "--to", fmt).stdout


def test_ims_cp_round_trip_is_byte_identical(seeded: Path, tmp_path: Path) -> None:
    pkg = tmp_path / "hist.zip"
    rli(seeded, "export", "hist2041", "--format", "ims-cp", "-o", str(pkg))
    other = tmp_path / "other.db"
    rli(other, "import", str(pkg))
    a = rli(seeded, "export", "hist2041").stdout
    b = rli(other, "export", "hist2041").stdout
    assert a == b


def test_several_lists_in_one_package(seeded: Path, tmp_path: Path) -> None:
    second = tmp_path / "law.xml"
    second.write_bytes(binding.write_list(make_list("law101", items=2, courses=("LAW101",))))
    rli(seeded, "import", str(second))
    pkg = tmp_path / "both.zip"
    rli(seeded, "export", "hist2041", "law101", "--format", "ims-cp", "-o", str(pkg))
    other = tmp_path / "other.db"
    out = rli(other, "import", str(pkg)).stdout
    assert "hist2041: version 1" in out and "law101: version 1" in out
    assert_refused(rli(seeded, "export", "hist2041", "law101", check=False), "ims-cp")


def test_ims_cp_with_duplicate_identifiers_refused(seeded: Path, tmp_path: Path) -> None:
    import zipfile

    from crosswalks import ims_cp

    doc = binding.write_list(make_list("dup", items=1))
    good = ims_cp.write_package([("a", doc), ("b", doc)])
    pkg = tmp_path / "dup.zip"
    pkg.write_bytes(good)
    assert zipfile.is_zipfile(pkg)
    before = dump(seeded)
    assert_refused(rli(seeded, "import", str(pkg), check=False), "appears twice")
    assert dump(seeded) == before


def test_deleted_list_is_not_edited_until_restored(seeded: Path) -> None:
    rli(seeded, "delete", "hist2041", "--note", "withdrawn")
    before = dump(seeded)
    assert_refused(rli(seeded, "annotate", "hist2041", "hello", check=False), "rli restore")
    assert_refused(rli(seeded, "edit", "hist2041", "--title", "x", "--note", "n", check=False),
                   "is deleted")
    assert dump(seeded) == before
    assert "restored as version 2" in rli(seeded, "restore", "hist2041").stdout
    assert "version 3" in rli(seeded, "annotate", "hist2041", "hello").stdout
    assert_refused(rli(seeded, "restore", "hist2041", check=False), "not deleted")



def test_import_of_a_new_version_says_it_brings_a_deleted_list_back(
    seeded: Path, tmp_path: Path
) -> None:
    src = tmp_path / "v2.xml"
    src.write_bytes(binding.write_list(make_list(items=6)))
    again = rli(seeded, "import", "--new-version", str(src)).stdout
    assert "version 2" in again and "restored" not in again  # a live list: nothing to say
    rli(seeded, "delete", "hist2041", "--note", "withdrawn")
    src.write_bytes(binding.write_list(make_list(items=7)))
    out = rli(seeded, "import", "--new-version", str(src)).stdout
    assert "version 3" in out
    assert "restored: hist2041 was deleted" in out
    listed = json.loads(rli(seeded, "lists", "--json").stdout)
    assert [(r["id"], r["deleted"]) for r in listed] == [("hist2041", False)]
@pytest.mark.parametrize("version", ["0", "-1", "99999999999999999999"])
def test_out_of_range_versions_are_usage_errors(seeded: Path, version: str) -> None:
    proc = rli(seeded, "show", "hist2041", "--version", version, check=False)
    assert proc.returncode == 2 and "Traceback" not in proc.stderr
    assert "Invalid value for '--version'" in proc.stderr


def test_another_programs_database_is_one_line(tmp_path: Path) -> None:
    other = tmp_path / "other.db"
    conn = sqlite3.connect(other)
    conn.execute("CREATE TABLE lists (x)")
    conn.commit()
    conn.close()
    assert_refused(rli(other, "lists", check=False), "another program")
    not_sqlite = tmp_path / "notes.db"
    not_sqlite.write_text("just text, not a database at all " * 100)
    assert_refused(rli(not_sqlite, "lists", check=False))


@pytest.mark.parametrize("args", [("--title", " ", "--owner", "o"), ("--title", "T", "--owner", ""),
                                  ("--title", "T", "--owner", "o", "--course", "")])
def test_new_refuses_empty_fields(tmp_path: Path, args: tuple[str, ...]) -> None:
    assert_refused(rli(tmp_path / "rli.db", "new", *args, check=False), "empty")


def test_failed_import_creates_no_archive(tmp_path: Path) -> None:
    bad = tmp_path / "bad.xml"
    bad.write_text("not xml")
    db = tmp_path / "new.db"
    assert_refused(rli(db, "import", str(bad), check=False))
    assert not db.exists()


def test_an_import_the_archive_refuses_creates_no_archive(tmp_path: Path) -> None:
    # found in review: a file read but refused (here: --id names an unusable identifier)
    # created the archive it was to go into, as an unreadable file does not
    src = tmp_path / "hist.xml"
    src.write_bytes(binding.write_list(make_list(items=2)))
    db = tmp_path / "new.db"
    assert_refused(rli(db, "import", "--id", "bad id", str(src), check=False), "bad id")
    assert not db.exists()
    rli(db, "import", str(src))  # the same file, accepted, makes it
    assert json.loads(rli(db, "lists", "--json").stdout)[0]["id"] == "hist2041"


def test_a_history_package_round_trips_a_restore_and_brings_a_deleted_list_back(
    tmp_path: Path,
) -> None:
    # found in review: a history with a restore in it could not be imported ("version 2
    # ... does not follow here"), and its package imported over the list deleted since
    # with --new-version said "version N" and left it deleted
    src, package = tmp_path / "src.db", tmp_path / "hist.zip"
    rli(src, "import", str(_written(tmp_path / "hist.xml")))
    rli(src, "delete", "hist2041", "--note", "paused")
    rli(src, "restore", "hist2041")
    rli(src, "export", "hist2041", "--format", "ims-cp", "--history", "-o", str(package))
    copy = tmp_path / "copy.db"
    first = rli(copy, "import", str(package)).stdout
    assert "hist2041: version 2" in first
    assert "restored:" not in first  # the package's restore, copied: nothing was deleted here
    assert _history(copy) == _history(src)

    rli(src, "delete", "hist2041", "--note", "paused again")
    assert_refused(rli(src, "import", str(package), check=False), "--new-version restores it")
    out = rli(src, "import", "--new-version", str(package)).stdout
    assert "hist2041: version 3" in out and "restored: hist2041 was deleted" in out
    assert [v["version"] for v in json.loads(rli(src, "lists", "--json").stdout)] == [3]


def test_a_longer_history_package_brings_a_deleted_list_back_only_with_new_version(
    tmp_path: Path,
) -> None:
    # found in review: a package with versions this archive lacks revived a list deleted
    # here without --new-version, and did not say it restored it
    src, copy = tmp_path / "src.db", tmp_path / "copy.db"
    short, longer = tmp_path / "short.zip", tmp_path / "longer.zip"
    rli(src, "import", str(_written(tmp_path / "hist.xml")))
    rli(src, "export", "hist2041", "--format", "ims-cp", "--history", "-o", str(short))
    rli(src, "annotate", "hist2041", "read this first")
    rli(src, "export", "hist2041", "--format", "ims-cp", "--history", "-o", str(longer))
    rli(copy, "import", str(short))
    rli(copy, "delete", "hist2041", "--note", "withdrawn here")

    assert_refused(rli(copy, "import", str(longer), check=False), "--new-version restores it")
    assert "(deleted)" in rli(copy, "lists", "--all").stdout
    out = rli(copy, "import", "--new-version", str(longer)).stdout
    assert "hist2041: version 2" in out and "restored: hist2041 was deleted" in out
    assert _history(copy) == _history(src)
    assert "restored" in rli(copy, "history", "hist2041").stdout


def test_a_history_package_of_a_deleted_list_imports_deleted(tmp_path: Path) -> None:
    # found in review: the package held no deletion, so the list came back live here
    src, copy, package = tmp_path / "src.db", tmp_path / "copy.db", tmp_path / "hist.zip"
    rli(src, "import", str(_written(tmp_path / "hist.xml")))
    rli(src, "delete", "hist2041", "--note", "paused")
    rli(src, "restore", "hist2041")
    rli(src, "delete", "hist2041", "--note", "course withdrawn")
    rli(src, "export", "hist2041", "--format", "ims-cp", "--history", "-o", str(package))

    out = rli(copy, "import", str(package)).stdout
    assert "hist2041: version 2" in out and "deleted: hist2041 was deleted" in out
    assert "(deleted)" in rli(copy, "lists", "--all").stdout
    assert rli(copy, "history", "hist2041").stdout == rli(src, "history", "hist2041").stdout


def _written(path: Path) -> Path:
    path.write_bytes(binding.write_list(make_list(items=2)))
    return path


def _history(db: Path) -> list[tuple[object, ...]]:
    return [(e["version"], e["sha256"], e["at"], e["editor"], e["note"])
            for e in json.loads(rli(db, "history", "hist2041", "--json").stdout)
            if e["event"] != "deleted"]

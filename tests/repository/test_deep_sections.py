"""Sections nested deeper than a harvester's XML parser reads are refused on the way in.

libxml2 (lxml, so Sickle and rli's harvester) stops at 256 levels; a list is served inside
an OAI-PMH envelope. Found in review: 122 nested sections were archived, then every
harvest of the page holding that list failed ("Excessive depth in document: 256").
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import httpx
from lxml import etree
from sickle import Sickle

from crosswalks.rli import Citation, Resource, ResourceList, Section, binding
from crosswalks.rli.model import Item
from crosswalks.validation import validate
from repository.archive.checks import MAX_SECTION_DEPTH
from tests.live_server import rli_serve

RLI = [sys.executable, "-c", "from repository.cli import main; main()"]


def nested(list_id: str, depth: int) -> ResourceList:
    inner: tuple[Item, ...] = (Item("leaf", Resource(Citation(title="At the bottom"))),)
    for level in range(depth):
        inner = (Item(f"s{level}", Section(f"Part {level}", items=inner)),)
    return ResourceList(list_id, f"{depth} sections deep", "me", items=inner)


def rli(db: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([*RLI, "--db", str(db), *args], capture_output=True, text=True,
                          timeout=120, cwd=db.parent)


def test_too_deep_is_refused_and_the_deepest_allowed_is_harvested(tmp_path: Path) -> None:
    db = tmp_path / "rli.db"
    for depth in (MAX_SECTION_DEPTH, MAX_SECTION_DEPTH + 1, 122):
        (tmp_path / f"deep{depth}.xml").write_bytes(
            binding.write_list(nested(f"deep{depth}", depth)))
    assert rli(db, "import", str(tmp_path / f"deep{MAX_SECTION_DEPTH}.xml")).returncode == 0
    for depth in (MAX_SECTION_DEPTH + 1, 122):
        refused = rli(db, "import", str(tmp_path / f"deep{depth}.xml"))
        assert refused.returncode == 1
        assert f"sections nest more than {MAX_SECTION_DEPTH} deep" in refused.stderr
        assert "Traceback" not in refused.stderr
    with rli_serve(db) as served:
        for prefix in ("rli", "mods", "oai_dc"):
            page = httpx.get(served.oai, params={"verb": "ListRecords",
                                                 "metadataPrefix": prefix})
            validate(etree.fromstring(page.content), "oai-pmh")
            records = list(Sickle(served.oai).ListRecords(metadataPrefix=prefix))
            assert [r.header.identifier for r in records] == [
                f"oai:rli.localhost:deep{MAX_SECTION_DEPTH}"]
        dump = tmp_path / "dump.xml"
        harvested = rli(db, "harvest", "-l", served.oai, "-o", str(dump), "-m", "rli")
    assert harvested.returncode == 0, harvested.stderr
    assert b"At the bottom" in dump.read_bytes()

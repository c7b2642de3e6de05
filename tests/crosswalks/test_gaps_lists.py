"""Lists rli served as MODS or LOM stay lists when harvested, and an empty list stays a list
in MODS and LOM (files, OAI responses and harvests alike)."""

from __future__ import annotations

import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from lxml import etree

from crosswalks import lom, mods
from crosswalks.convert import convert
from crosswalks.registry import get_format
from crosswalks.rli import Resource, ResourceList, binding, iter_resources
from crosswalks.validation import validate
from tests.live_server import RLI, build_demo, rli_serve


def _rli(db: Path, *args: str) -> str:
    done = subprocess.run([*RLI, "--db", str(db), *args], capture_output=True, text=True,
                          timeout=120)
    assert done.returncode == 0, done.stderr
    return done.stdout


@pytest.fixture(scope="module")
def harvested(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Path]]:
    """The demo archive, and for mods and lom an archive that harvested it in that format
    with ``rli harvest NAME`` from a real ``rli serve``."""
    folder = tmp_path_factory.mktemp("harvests")
    demo = build_demo(folder / "demo.db")
    dbs = {"demo": demo}
    with rli_serve(demo) as server:
        for prefix in ("mods", "lom"):
            db = folder / f"{prefix}.db"
            _rli(db, "init")
            _rli(db, "source", "add", "up", server.oai, "-m", prefix)
            _rli(db, "harvest", "up")
            dbs[prefix] = db
    yield dbs


def _lists(db: Path) -> list[tuple[str, str, str]]:
    """(identifier, item count, owner) of each list ``rli lists`` shows."""
    rows = [line.split() for line in _rli(db, "lists").splitlines() if line.strip()]
    return [(row[0], row[2], row[4]) for row in rows]


@pytest.mark.parametrize("prefix", ["mods", "lom"])
def test_harvesting_lists_rli_served_as_mods_or_lom_archives_lists(
    harvested: dict[str, Path], prefix: str,
) -> None:
    # the harvester read each served list as one resource: no list archived, items dropped
    want = _lists(harvested["demo"])
    assert any(count == "0" for _, count, _ in want)  # the demo has an empty list too
    assert _lists(harvested[prefix]) == want
    statuses = [line.split("\t")[1] for line in
                _rli(harvested[prefix], "resources").splitlines() if line.strip()]
    assert statuses == ["list"] * len(want)


@pytest.mark.parametrize("prefix", ["mods", "lom"])
def test_a_harvested_list_keeps_its_resources(harvested: dict[str, Path], prefix: str) -> None:
    out = _rli(harvested[prefix], "export", "comp2150-2026")
    got = binding.read_list(out.encode())
    want = binding.read_list(_rli(harvested["demo"], "export", "comp2150-2026").encode())
    assert (got.title, got.owner, got.courses) == (want.title, want.owner, want.courses)
    titles = sorted(r.citation.title for _, r in _resources(got))
    assert titles == sorted(r.citation.title for _, r in _resources(want))


def _resources(lst: ResourceList) -> list[tuple[str, Resource]]:
    return [(item.id, res) for item, res in iter_resources(lst.items)]


EMPTY = ResourceList("empty-1", "Nothing yet", "dr.owner", description="Shell", courses=("X1",))


@pytest.mark.parametrize("prefix", ["mods", "lom"])
def test_an_empty_list_reads_back_as_a_list(prefix: str) -> None:
    # written as MODS or LOM, an empty list read back as one resource (holds_list False)
    fmt = get_format(prefix)
    el = fmt.write_list(EMPTY)
    validate(el, fmt.schema_name)
    assert fmt.can_read_list(el)
    got = fmt.read_list(el).value
    assert (got.identifier, got.title, got.owner, got.items) == ("empty-1", "Nothing yet",
                                                                 "dr.owner", ())
    out = etree.fromstring(convert(etree.tostring(el), prefix, "rli").data)
    assert etree.QName(out).localname == "resourceList"


def test_a_catalogue_bibliography_without_owner_stays_a_resource() -> None:
    xml = b"""<mods xmlns="http://www.loc.gov/mods/v3">
      <titleInfo><title>A Bibliography of Virginia Woolf</title></titleInfo>
      <name><namePart>Kirkpatrick, B. J.</namePart><role><roleTerm type="code"
        authority="marcrelator">aut</roleTerm></role></name>
      <genre authority="marcgt">bibliography</genre>
      <originInfo><publisher>Clarendon Press</publisher></originInfo></mods>"""
    el = etree.fromstring(xml)
    assert not mods.holds_list(el)
    res = mods.read_resource(el).value
    assert res.citation.publisher == "Clarendon Press"


def test_a_lom_aggregation_of_another_catalog_stays_a_resource() -> None:
    el = lom.write_list(EMPTY)
    for catalog in el.iter("{*}catalog"):
        catalog.text = "URI"  # another cataloguer's course, described without its parts
    for entry in el.iter("{*}entry"):
        entry.text = "http://example.org/course/1"
    assert not lom.holds_list(el)

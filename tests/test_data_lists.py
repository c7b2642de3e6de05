"""The bundled course lists in data/lists and data/versions: valid, canonical, varied, correct.

Every file parses with the RLI reader, satisfies the RLI schema, and is
byte-identical to what the writer makes of it; the set covers every feature
the demo and the crosswalks need; the bibliographic identifiers pass their
check-digit rules; and the authoring scripts still produce exactly these files.
"""

from __future__ import annotations

import re
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest

from crosswalks.rli import (
    IdentifierType,
    Item,
    LocationType,
    RelatedTitleType,
    Resource,
    ResourceList,
    ResourceType,
    Section,
    binding,
    iter_resources,
)
from crosswalks.validation import validate

DATA = Path(__file__).resolve().parent.parent / "data"
LIST_FILES = sorted((DATA / "lists").glob("*.xml"))
VERSION_FILES = sorted((DATA / "versions").glob("*/*.xml"))
ALL_FILES = LIST_FILES + VERSION_FILES
RLI_NS = "http://www.imsglobal.org/services/rli/xsd/imsRLIManDataSchema_v1p0"
DOI_RE = re.compile(r"10\.\d{4,9}/\S+")


def _rel(path: Path) -> str:
    return str(path.relative_to(DATA))


def _read(path: Path) -> ResourceList:
    return binding.read_list(path.read_bytes(), source=str(path))


def _lists() -> list[ResourceList]:
    return [_read(p) for p in LIST_FILES]


def _everything() -> list[ResourceList]:
    return [_read(p) for p in ALL_FILES]


def _all_items(items: tuple[Item, ...]) -> list[tuple[str, Item]]:
    """Every item (sections too), depth first, with the id of its parent ("" at top level)."""
    found: list[tuple[str, Item]] = []

    def walk(parent: str, level: tuple[Item, ...]) -> None:
        for entry in level:
            found.append((parent, entry))
            if isinstance(entry.content, Section):
                walk(entry.id, entry.content.items)

    walk("", items)
    return found


def _resources() -> list[tuple[ResourceList, Item, Resource]]:
    return [(lst, it, res) for lst in _everything() for it, res in iter_resources(lst.items)]


# --- check-digit rules (tested against known good and bad values below) ---

def isbn13_valid(value: str) -> bool:
    """ISBN-13: 13 digits, weights 1,3,1,3...; the weighted sum is a multiple of 10."""
    if not re.fullmatch(r"97[89]\d{10}", value):
        return False
    return sum(int(d) * (3 if i % 2 else 1) for i, d in enumerate(value)) % 10 == 0


def issn_valid(value: str) -> bool:
    """ISSN: NNNN-NNNC, weights 8..2, check = (11 - sum mod 11) mod 11, 10 written X."""
    match = re.fullmatch(r"(\d{4})-(\d{3})([\dX])", value)
    if not match:
        return False
    digits = match.group(1) + match.group(2)
    check = (11 - sum(int(d) * w for d, w in zip(digits, range(8, 1, -1))) % 11) % 11
    return match.group(3) == ("X" if check == 10 else str(check))


@pytest.mark.parametrize(
    ("value", "ok"),
    [
        ("9780262033848", True),  # CLRS 3rd ed.
        ("9780262033849", False),  # one digit off
        ("0262033844", False),  # ISBN-10 is not ISBN-13
        ("9780262O33848", False),  # letter O
    ],
)
def test_isbn13_rule(value: str, ok: bool) -> None:
    assert isbn13_valid(value) is ok


@pytest.mark.parametrize(
    ("value", "ok"),
    [
        ("0028-0836", True),  # Nature
        ("0017-811X", True),  # Harvard Law Review, check digit X
        ("0017-8110", False),
        ("0028-0837", False),
        ("00280836", False),
    ],
)
def test_issn_rule(value: str, ok: bool) -> None:
    assert issn_valid(value) is ok


# --- every file: parse, validate, canonical ---

def test_files_present() -> None:
    assert len(LIST_FILES) >= 7
    assert VERSION_FILES, "no later versions in data/versions"


@pytest.mark.parametrize("path", ALL_FILES, ids=_rel)
def test_file_validates_against_rli_schema(path: Path) -> None:
    validate(path.read_bytes(), "rli")


@pytest.mark.parametrize("path", ALL_FILES, ids=_rel)
def test_file_is_canonical(path: Path) -> None:
    data = path.read_bytes()
    lst = binding.read_list(data, source=str(path))
    assert binding.write_list(lst) == data
    assert binding.read_list(binding.write_list(lst)) == lst


def test_authoring_scripts_reproduce_the_files() -> None:
    script = DATA / "authoring" / "build.py"
    run = subprocess.run(
        [sys.executable, str(script), "--check"], capture_output=True, text=True, timeout=60
    )
    assert run.returncode == 0, run.stdout + run.stderr


# --- the set as a whole ---

def test_list_identifiers_unique_and_named_for_file() -> None:
    lists = _lists()
    ids = [lst.identifier for lst in lists]
    assert len(set(ids)) == len(ids)
    for path, lst in zip(LIST_FILES, lists):
        assert path.stem == lst.identifier
        assert re.fullmatch(r"[a-z]{2,5}\d{4}-\d{4}", lst.identifier)
        assert lst.owner and lst.courses


def test_at_least_six_disciplines() -> None:
    prefixes = {re.sub(r"\d.*", "", c) for lst in _lists() for c in lst.courses}
    assert len(prefixes) >= 6


@pytest.mark.parametrize("path", ALL_FILES, ids=_rel)
def test_item_ids_unique_within_list(path: Path) -> None:
    ids = [entry.id for _, entry in _all_items(_read(path).items)]
    assert all(ids)
    assert len(set(ids)) == len(ids), [k for k, n in Counter(ids).items() if n > 1]


def test_item_counts_in_range_and_one_empty_list() -> None:
    counts = {lst.identifier: len(iter_resources(lst.items)) for lst in _everything()}
    empty = [name for name, n in counts.items() if n == 0]
    assert len(empty) >= 1
    for name, n in counts.items():
        assert n == 0 or 8 <= n <= 60, (name, n)


def test_every_resource_type_is_present() -> None:
    kinds = Counter(res.type for _, _, res in _resources())
    for kind in (ResourceType.BOOK, ResourceType.BOOK_CHAPTER, ResourceType.JOURNAL_ARTICLE,
                 ResourceType.WEB_PAGE, ResourceType.AUDIO_VISUAL, ResourceType.LOCAL):
        assert kinds[kind] >= 1, kind
    assert kinds[ResourceType.BOOK_CHAPTER] >= 3 and kinds[ResourceType.JOURNAL_ARTICLE] >= 20


def test_every_location_type_is_present() -> None:
    kinds = Counter(loc.type for _, _, res in _resources() for loc in res.locations)
    assert set(kinds) == set(LocationType)


def test_local_material_has_vle_link_or_shelfmark() -> None:
    local = [res for _, _, res in _resources() if res.type == ResourceType.LOCAL]
    assert local
    for res in local:
        assert {loc.type for loc in res.locations} & {LocationType.URL, LocationType.SHELFMARK}
    assert any(loc.type == LocationType.SHELFMARK for res in local for loc in res.locations)


def test_sections_and_nested_sections() -> None:
    nested = 0
    for lst in _lists():
        for parent, entry in _all_items(lst.items):
            if parent and isinstance(entry.content, Section):
                nested += 1
    assert nested >= 1
    assert sum(1 for lst in _lists() if any(isinstance(i.content, Section) for i in lst.items)) >= 5


def test_annotations_on_lists_items_and_resources() -> None:
    lists = _lists()
    assert sum(1 for lst in lists if lst.annotations) >= 5
    item_notes = [n for lst in lists for _, e in _all_items(lst.items) for n in e.annotations]
    item_kinds = Counter(n.kind for n in item_notes)
    assert {"essential", "recommended", "optional"} <= set(item_kinds)
    assert any(n.text for n in item_notes), "no instructor note on an item"
    assert any(res.annotations for _, _, res in _resources())


def test_foreign_extensions_survive() -> None:
    found = 0
    for path in LIST_FILES:
        lst = _read(path)
        extensions = list(lst.extensions)
        extensions += [x for _, res in iter_resources(lst.items) for x in res.extensions]
        for ext in extensions:
            found += 1
            namespace = re.search(r'xmlns:\w+="([^"]+)"', ext.xml)
            assert namespace and namespace.group(1) != RLI_NS
            assert namespace.group(1).encode() in path.read_bytes()
    assert found >= 2
    assert any(_read(p).extensions for p in LIST_FILES), "no extension on a list"


# --- bibliographic correctness ---

def test_isbns_issns_and_dois_are_well_formed() -> None:
    seen: Counter[IdentifierType] = Counter()
    for _, _, res in _resources():
        cit = res.citation
        ids = list(cit.identifiers) + [i for rt in cit.related_titles for i in rt.identifiers]
        for ident in ids:
            seen[ident.type] += 1
            if ident.type == IdentifierType.ISBN:
                assert isbn13_valid(ident.value), (cit.title, ident.value)
            elif ident.type == IdentifierType.ISSN:
                assert issn_valid(ident.value), (cit.title, ident.value)
            elif ident.type == IdentifierType.DOI:
                assert DOI_RE.fullmatch(ident.value), (cit.title, ident.value)
    assert seen[IdentifierType.ISBN] >= 10
    assert seen[IdentifierType.ISSN] >= 20
    assert seen[IdentifierType.DOI] >= 20


def test_articles_and_chapters_carry_their_host() -> None:
    for _, _, res in _resources():
        cit = res.citation
        if res.type == ResourceType.JOURNAL_ARTICLE:
            journal = [rt for rt in cit.related_titles if rt.type == RelatedTitleType.JOURNAL]
            assert journal and journal[0].title, cit.title
            assert cit.volume and cit.start_page and cit.publication_date, cit.title
            assert cit.creators, cit.title
            dois = [i.value for i in cit.identifiers if i.type == IdentifierType.DOI]
            for doi in dois:
                assert any(loc.locator == f"https://doi.org/{doi}" for loc in res.locations)
        if res.type == ResourceType.BOOK_CHAPTER:
            host = [rt for rt in cit.related_titles if rt.type == RelatedTitleType.HOST]
            assert host and host[0].title and host[0].creators, cit.title
            assert cit.start_page and cit.end_page and cit.publisher, cit.title
            assert int(cit.start_page) < int(cit.end_page)
        if res.type == ResourceType.BOOK:
            assert cit.publisher and cit.publication_place and cit.publication_date, cit.title
    chapters = [res for _, _, res in _resources() if res.type == ResourceType.BOOK_CHAPTER]
    assert any(
        i.type == IdentifierType.ISBN for res in chapters for rt in res.citation.related_titles
        for i in rt.identifiers
    ), "no chapter with a host ISBN"
    assert any(
        c.role.value == "editor" for res in chapters for rt in res.citation.related_titles
        for c in rt.creators
    ), "no chapter host with editors"


def test_audio_visual_has_director() -> None:
    films = [res for _, _, res in _resources() if res.type == ResourceType.AUDIO_VISUAL]
    assert any(c.role.value == "director" for res in films for c in res.citation.creators)


# --- versions ---

def _versions_of(list_id: str) -> list[ResourceList]:
    later = sorted((DATA / "versions" / list_id).glob("v*.xml"), key=lambda p: int(p.stem[1:]))
    return [_read(DATA / "lists" / f"{list_id}.xml")] + [_read(p) for p in later]


def _placement(lst: ResourceList) -> dict[str, tuple[str, Item]]:
    return {entry.id: (parent, entry) for parent, entry in _all_items(lst.items)}


def test_version_files_belong_to_their_list() -> None:
    for path in VERSION_FILES:
        assert _read(path).identifier == path.parent.name
        assert (DATA / "lists" / f"{path.parent.name}.xml").exists()
        assert re.fullmatch(r"v\d+", path.stem) and int(path.stem[1:]) >= 2


def test_a_list_has_several_versions_that_add_remove_move_and_annotate() -> None:
    multi = [d.name for d in (DATA / "versions").iterdir() if len(list(d.glob("v*.xml"))) >= 2]
    assert multi, "no list with v2 and v3"
    versions = _versions_of(multi[0])
    assert [v.modified for v in versions] == sorted({v.modified for v in versions})
    added = removed = moved = annotated = 0
    for old, new in zip(versions, versions[1:]):
        before, after = _placement(old), _placement(new)
        added += len(after.keys() - before.keys())
        removed += len(before.keys() - after.keys())
        for key in before.keys() & after.keys():
            (old_parent, old_item), (new_parent, new_item) = before[key], after[key]
            moved += old_parent != new_parent
            annotated += old_item.annotations != new_item.annotations
            # A stable id names the same work in every version.
            if isinstance(old_item.content, Resource) and isinstance(new_item.content, Resource):
                assert old_item.content.citation == new_item.content.citation, key
    assert added and removed and moved and annotated

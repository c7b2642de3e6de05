"""RIS, BibTeX and CSL-JSON exports, each parsed back and checked field by field.

The parsers here are deliberately independent of the writers: a RIS line
parser, a BibTeX entry regex with its own unescaping, and ``json.loads``.
"""

from __future__ import annotations

import json
import re
from functools import partial

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from crosswalks.citations import fields_of, to_bibtex, to_csl_json, to_ris
from crosswalks.rli import (
    Annotation,
    Citation,
    Creator,
    CreatorRole,
    IdentifierType,
    Location,
    LocationType,
    RelatedTitle,
    RelatedTitleType,
    Resource,
    ResourceType,
    StandardIdentifier,
)
from crosswalks.xmlsafe import clean_text
from tests.scaling import LINEAR, growth

# --- independent parsers -------------------------------------------------------------------

RisRecord = list[tuple[str, str]]


def parse_ris(text: str) -> list[RisRecord]:
    """Records as (tag, value) lists; asserts the framing (TY first, ER last, CRLF)."""
    assert "\n" not in text.replace("\r\n", "")
    records: list[RisRecord] = []
    current: RisRecord | None = None
    for line in text.split("\r\n"):
        if not line:
            continue
        match = re.fullmatch(r"([A-Z][A-Z0-9])  - (.*)", line)
        assert match, line
        tag, value = match.groups()
        if tag == "TY":
            assert current is None
            current = []
        assert current is not None, f"{tag} outside a record"
        if tag == "ER":
            assert value == ""
            records.append(current)
            current = None
        else:
            current.append((tag, value))
    assert current is None
    return records


def ris_one(record: RisRecord) -> dict[str, str]:
    return {t: v for t, v in record}


def ris_all(record: RisRecord, tag: str) -> list[str]:
    return [v for t, v in record if t == tag]


_ENTRY = re.compile(r"@(\w+)\{([^,\s]+),\n(.*?)\n\}\n", re.DOTALL)
_FIELD = re.compile(r"  ([a-z]+) = (\{.*\}|[a-z]+),?")
_TEX = {
    r"\textbackslash{}": "\\",
    r"\textasciitilde{}": "~",
    r"\textasciicircum{}": "^",
    r"\textbraceleft{}": "{",
    r"\textbraceright{}": "}",
    r"\&": "&",
    r"\%": "%",
    r"\$": "$",
    r"\#": "#",
    r"\_": "_",
}
_TEX_RE = re.compile("|".join(re.escape(k) for k in _TEX))


def untex(value: str) -> str:
    return _TEX_RE.sub(lambda m: _TEX[m.group(0)], value)


def braces_balance(value: str) -> bool:
    """As BibTeX counts them: every brace, escaped or not."""
    depth = 0
    for char in value:
        depth += {"{": 1, "}": -1}.get(char, 0)
        if depth < 0:
            return False
    return depth == 0


def parse_bibtex(text: str) -> list[tuple[str, str, dict[str, str]]]:
    """(entry type, key, {field: raw value without the outer braces})."""
    entries = []
    for match in _ENTRY.finditer(text):
        kind, key, body = match.groups()
        fields: dict[str, str] = {}
        for line in body.split("\n"):
            if not line:
                continue
            field = _FIELD.fullmatch(line)
            assert field, line
            name, raw = field.groups()
            assert name not in fields
            assert braces_balance(raw), raw
            fields[name] = raw[1:-1] if raw.startswith("{") else raw
        entries.append((kind, key, fields))
    assert len(entries) == text.count("\n@") + text.startswith("@")
    return entries


def bib_names(raw: str) -> list[str]:
    """Split an author/editor field on top-level " and "; strip one level of braces."""
    names, depth, start = [], 0, 0
    for pos, char in enumerate(raw):
        depth += {"{": 1, "}": -1}.get(char, 0)
        if depth == 0 and raw.startswith(" and ", pos):
            names.append(raw[start:pos])
            start = pos + 5
    names.append(raw[start:])
    return [untex(n[1:-1] if n.startswith("{") and n.endswith("}") else n) for n in names]


# --- resources built by hand, one per type -------------------------------------------------

BOOK = Resource(
    type=ResourceType.BOOK,
    identifier="res-book-1",
    citation=Citation(
        title="Orientalism",
        creators=(Creator("Said, Edward W."), Creator("Nobody, A.", CreatorRole.TRANSLATOR)),
        edition="25th anniversary ed.",
        publication_date="2003",
        publication_place="New York",
        publisher="Vintage",
        identifiers=(StandardIdentifier(IdentifierType.ISBN, "9780394740676"),),
        related_titles=(RelatedTitle("Vintage Classics", RelatedTitleType.SERIES),),
    ),
    description="A study of Western representations of the East.",
    subjects=("Orientalism", "Imperialism"),
    language="en",
    locations=(
        Location(LocationType.SHELFMARK, "DS12 .S24"),
        Location(LocationType.URL, "https://catalogue.example.ac.uk/rec/1"),
    ),
    annotations=(Annotation("Read the introduction", kind="essential"), Annotation("Ch. 1 too")),
)

CHAPTER = Resource(
    type=ResourceType.BOOK_CHAPTER,
    citation=Citation(
        title="Can the Subaltern Speak?",
        creators=(Creator("Spivak, Gayatri Chakravorty"),),
        publication_date="1988",
        publisher="University of Illinois Press",
        publication_place="Urbana",
        start_page="271",
        end_page="313",
        related_titles=(
            RelatedTitle(
                "Marxism and the Interpretation of Culture",
                RelatedTitleType.HOST,
                creators=(
                    Creator("Nelson, Cary", CreatorRole.EDITOR),
                    Creator("Grossberg, Lawrence", CreatorRole.EDITOR),
                ),
                identifiers=(StandardIdentifier(IdentifierType.ISBN, "0252014014"),),
            ),
        ),
    ),
)

ARTICLE = Resource(
    type=ResourceType.JOURNAL_ARTICLE,
    citation=Citation(
        title="The Tragedy of the Commons",
        creators=(Creator("Hardin, Garrett"),),
        publication_date="1968-12-13",
        volume="162",
        part="3859",
        start_page="1243",
        end_page="1248",
        identifiers=(StandardIdentifier(IdentifierType.DOI, "10.1126/science.162.3859.1243"),),
        related_titles=(
            RelatedTitle(
                "Science",
                RelatedTitleType.JOURNAL,
                identifiers=(StandardIdentifier(IdentifierType.ISSN, "0036-8075"),),
            ),
        ),
    ),
    locations=(Location(LocationType.URL, "https://doi.org/10.1126/science.162.3859.1243"),),
)

FILM = Resource(
    type=ResourceType.AUDIO_VISUAL,
    citation=Citation(
        title="Battle of Algiers",
        creators=(
            Creator("Pontecorvo, Gillo", CreatorRole.DIRECTOR),
            Creator("Morricone, Ennio", CreatorRole.CONTRIBUTOR),
        ),
        publication_date="1966",
    ),
)

WEB = Resource(
    type=ResourceType.WEB_PAGE,
    citation=Citation(
        title="Climate Change 2023: Synthesis Report",
        creators=(Creator("Intergovernmental Panel on Climate Change"),),
        publication_date="2023-03",
    ),
    locations=(Location(LocationType.URL, "https://www.ipcc.ch/report/ar6/syr/"),),
)

JOURNAL = Resource(
    type=ResourceType.JOURNAL,
    citation=Citation(
        title="Past & Present",
        identifiers=(StandardIdentifier(IdentifierType.ISSN, "0031-2746"),),
    ),
)

LOCAL = Resource(
    type=ResourceType.LOCAL,
    citation=Citation(title="Week 3 lecture handout", creators=(Creator("Haddad, Amira"),)),
)

OTHER = Resource(
    type=ResourceType.OTHER, citation=Citation(title="Poster", publication_date="c1990")
)

ALL = [BOOK, CHAPTER, ARTICLE, FILM, WEB, JOURNAL, LOCAL, OTHER]


# --- the shared view -----------------------------------------------------------------------


def test_container_is_the_journal_or_host_not_the_series() -> None:
    assert fields_of(ARTICLE).container == "Science"
    assert fields_of(CHAPTER).container == "Marxism and the Interpretation of Culture"
    assert (fields_of(BOOK).container, fields_of(BOOK).series) == ("", "Vintage Classics")


def test_identifiers_of_the_container_count() -> None:
    assert fields_of(ARTICLE).issns == ("0036-8075",)
    assert fields_of(CHAPTER).isbns == ("0252014014",)


def test_director_is_author_only_without_authors() -> None:
    assert fields_of(FILM).authors == ("Pontecorvo, Gillo",)
    both = Resource(
        citation=Citation(
            creators=(Creator("Writer, A."), Creator("Director, B.", CreatorRole.DIRECTOR))
        )
    )
    assert fields_of(both).authors == ("Writer, A.",)
    assert fields_of(both).minor_creators == ("Director, B.",)


def test_date_parts_and_year() -> None:
    assert fields_of(ARTICLE).date_parts == (1968, 12, 13)
    assert fields_of(WEB).date_parts == (2023, 3)
    assert (fields_of(OTHER).date_parts, fields_of(OTHER).year) == ((), "1990")


# --- RIS -----------------------------------------------------------------------------------


def test_ris_types() -> None:
    records = parse_ris(to_ris(ALL))
    assert [ris_one(r)["TY"] for r in records] == [
        "BOOK",
        "CHAP",
        "JOUR",
        "VIDEO",
        "ELEC",
        "JFULL",
        "UNPB",
        "GEN",
    ]


def test_ris_book() -> None:
    (record,) = parse_ris(to_ris([BOOK]))
    one = ris_one(record)
    assert record[0] == ("TY", "BOOK")
    assert ris_all(record, "AU") == ["Said, Edward W."]
    assert ris_all(record, "A4") == ["Nobody, A."]
    assert (one["TI"], one["T3"], one["ET"]) == (
        "Orientalism",
        "Vintage Classics",
        "25th anniversary ed.",
    )
    assert (one["PY"], one["PB"], one["CY"], one["SN"]) == (
        "2003",
        "Vintage",
        "New York",
        "9780394740676",
    )
    assert (one["CN"], one["UR"], one["LA"]) == (
        "DS12 .S24",
        "https://catalogue.example.ac.uk/rec/1",
        "en",
    )
    assert one["AB"] == "A study of Western representations of the East."
    assert ris_all(record, "KW") == ["Orientalism", "Imperialism"]
    assert ris_all(record, "N1") == ["Read the introduction", "Ch. 1 too"]
    assert one["ID"] == "res-book-1"
    assert "DA" not in one  # a bare year goes in PY only


def test_ris_chapter_and_article() -> None:
    chapter, article = parse_ris(to_ris([CHAPTER, ARTICLE]))
    c = ris_one(chapter)
    assert ris_all(chapter, "A2") == ["Nelson, Cary", "Grossberg, Lawrence"]
    assert (c["TI"], c["T2"]) == (
        "Can the Subaltern Speak?",
        "Marxism and the Interpretation of Culture",
    )
    assert (c["SP"], c["EP"], c["SN"]) == ("271", "313", "0252014014")
    a = ris_one(article)
    assert (a["T2"], a["VL"], a["IS"], a["SP"], a["EP"]) == (
        "Science",
        "162",
        "3859",
        "1243",
        "1248",
    )
    assert (a["PY"], a["DA"]) == ("1968", "1968/12/13/")
    assert (a["DO"], a["SN"]) == ("10.1126/science.162.3859.1243", "0036-8075")


def test_ris_empty_resource_is_a_bare_record() -> None:
    assert parse_ris(to_ris([Resource()])) == [[("TY", "GEN")]]
    assert to_ris([]) == ""


# --- BibTeX --------------------------------------------------------------------------------


def test_bibtex_types_and_keys() -> None:
    entries = parse_bibtex(to_bibtex(ALL))
    assert [e[0] for e in entries] == [
        "book",
        "incollection",
        "article",
        "misc",
        "misc",
        "misc",
        "unpublished",
        "misc",
    ]
    keys = [e[1] for e in entries]
    assert len(set(keys)) == len(keys)
    assert all(re.fullmatch(r"[a-z0-9-]+", k) for k in keys)
    assert keys[0].startswith("said2003")


def test_bibtex_book_and_chapter() -> None:
    (_, _, book), (_, _, chapter) = parse_bibtex(to_bibtex([BOOK, CHAPTER]))
    assert bib_names(book["author"]) == ["Said, Edward W."]
    assert (book["title"], book["series"], book["edition"]) == (
        "Orientalism",
        "Vintage Classics",
        "25th anniversary ed.",
    )
    assert (book["publisher"], book["address"], book["year"]) == ("Vintage", "New York", "2003")
    assert book["isbn"] == "9780394740676"
    assert book["note"] == "Read the introduction; Ch. 1 too"
    assert bib_names(chapter["editor"]) == ["Nelson, Cary", "Grossberg, Lawrence"]
    assert chapter["booktitle"] == "Marxism and the Interpretation of Culture"
    assert chapter["pages"] == "271--313"


def test_bibtex_article() -> None:
    ((kind, key, art),) = parse_bibtex(to_bibtex([ARTICLE]))
    assert (kind, key) == ("article", "hardin1968tragedy")
    assert (art["journal"], art["volume"], art["number"]) == ("Science", "162", "3859")
    assert (art["pages"], art["year"], art["month"]) == ("1243--1248", "1968", "dec")
    assert art["doi"] == "10.1126/science.162.3859.1243"
    assert (art["issn"], art["url"]) == (
        "0036-8075",
        "https://doi.org/10.1126/science.162.3859.1243",
    )


def test_bibtex_special_characters_are_escaped_and_balanced() -> None:
    title = r"50% of R&D costs $5 #1 in C_x {a} ~b ^c \d }{"
    res = Resource(citation=Citation(title=title, creators=(Creator("O'Brien_x, Flann {F}"),)))
    ((_, _, entry),) = parse_bibtex(to_bibtex([res]))
    assert untex(entry["title"]) == title
    assert bib_names(entry["author"]) == ["O'Brien_x, Flann {F}"]
    unescaped = re.sub(r"\\(?:[&%$#_{}]|text\w+\{\})", "", entry["title"])
    assert not set("&%$#_{}~^\\") & set(unescaped)


@pytest.mark.parametrize(
    ("locator", "written"),
    [
        ("https://example.org/~smith/a_b.pdf#page=2", "https://example.org/~smith/a_b.pdf#page=2"),
        ("https://example.org/q?a=1&b=50%25&c=$", "https://example.org/q?a=1&b=50%25&c=$"),
        ("https://example.org/{x}\\y^z w", "https://example.org/%7Bx%7D%5Cy%5Ez%20w"),
        ("https://example.org/}{", "https://example.org/%7D%7B"),
    ],
)
def test_bibtex_url_and_doi_are_verbatim_but_balanced(locator: str, written: str) -> None:
    # biblatex reads url and doi verbatim: a TeX escape such as \_ would end up in the link
    res = Resource(
        citation=Citation(
            title="t", identifiers=(StandardIdentifier(IdentifierType.DOI, "10.1000/a_b~c#{d}"),)
        ),
        locations=(Location(LocationType.URL, locator),),
    )
    ((_, _, entry),) = parse_bibtex(to_bibtex([res]))
    assert entry["url"] == written
    assert entry["doi"] == "10.1000/a_b~c#%7Bd%7D"


def test_bibtex_bodies_and_and_are_kept_whole() -> None:
    res = Resource(
        citation=Citation(
            creators=(
                Creator("Marks and Spencer"),
                Creator("World Health Organization"),
                Creator("Smith, Jane"),
            )
        )
    )
    ((_, _, entry),) = parse_bibtex(to_bibtex([res]))
    assert entry["author"].startswith("{Marks and Spencer} and {World Health Organization}")
    assert bib_names(entry["author"]) == [
        "Marks and Spencer",
        "World Health Organization",
        "Smith, Jane",
    ]


def test_bibtex_keys_are_stable_and_unique_for_twins() -> None:
    text = to_bibtex([ARTICLE, ARTICLE, ARTICLE])
    assert [e[1] for e in parse_bibtex(text)] == [
        "hardin1968tragedy",
        "hardin1968tragedy-2",
        "hardin1968tragedy-3",
    ]
    assert to_bibtex([ARTICLE, ARTICLE, ARTICLE]) == text


def test_bibtex_empty_resource() -> None:
    assert parse_bibtex(to_bibtex([Resource()])) == [("misc", "ref", {})]


# --- CSL-JSON ------------------------------------------------------------------------------


def test_csl_types_and_ids() -> None:
    items = json.loads(to_csl_json(ALL))
    assert [i["type"] for i in items] == [
        "book",
        "chapter",
        "article-journal",
        "motion_picture",
        "webpage",
        "periodical",
        "manuscript",
        "document",
    ]
    assert items[0]["id"] == "res-book-1"
    assert len({i["id"] for i in items}) == len(items)


def test_csl_book_chapter_article() -> None:
    book, chapter, article = json.loads(to_csl_json([BOOK, CHAPTER, ARTICLE]))
    assert book["author"] == [{"family": "Said", "given": "Edward W."}]
    assert book["translator"] == [{"family": "Nobody", "given": "A."}]
    assert book["issued"] == {"date-parts": [[2003]]}
    assert (book["publisher"], book["publisher-place"], book["ISBN"]) == (
        "Vintage",
        "New York",
        "9780394740676",
    )
    assert (book["collection-title"], book["call-number"]) == ("Vintage Classics", "DS12 .S24")
    assert chapter["editor"] == [
        {"family": "Nelson", "given": "Cary"},
        {"family": "Grossberg", "given": "Lawrence"},
    ]
    assert (chapter["container-title"], chapter["page"]) == (
        "Marxism and the Interpretation of Culture",
        "271-313",
    )
    assert article["issued"] == {"date-parts": [[1968, 12, 13]]}
    assert (article["container-title"], article["volume"], article["issue"]) == (
        "Science",
        "162",
        "3859",
    )
    assert (article["DOI"], article["ISSN"]) == ("10.1126/science.162.3859.1243", "0036-8075")
    assert article["URL"] == "https://doi.org/10.1126/science.162.3859.1243"


def test_csl_literal_names_and_raw_dates() -> None:
    web, _, other = json.loads(to_csl_json([WEB, JOURNAL, OTHER]))
    assert web["author"] == [{"literal": "Intergovernmental Panel on Climate Change"}]
    assert web["issued"] == {"date-parts": [[2023, 3]]}
    assert other["issued"] == {"raw": "c1990"}


def test_csl_empty_resource_and_duplicate_identifiers() -> None:
    twin = Resource(identifier="same")
    items = json.loads(to_csl_json([Resource(), twin, twin]))
    assert items[0] == {"id": "ref", "type": "document"}
    assert items[1]["id"] == "same" and items[2]["id"] != "same"
    assert json.loads(to_csl_json([])) == []


# --- tricky input, all three formats -------------------------------------------------------

NASTY = Resource(
    type=ResourceType.BOOK,
    citation=Citation(
        title="Line one\nline two\r\n\ttabbed\x00\x0b\ud800 end",
        creators=(Creator("Žižek, Slavoj"), Creator("村上, 春樹"), Creator("Ngũgĩ wa Thiong'o")),
        publisher="  Verso  ",
    ),
)
CLEAN_TITLE = "Line one line two tabbed end"


def test_ris_tricky_text() -> None:
    (record,) = parse_ris(to_ris([NASTY]))
    assert ris_one(record)["TI"] == CLEAN_TITLE
    assert ris_all(record, "AU") == ["Žižek, Slavoj", "村上, 春樹", "Ngũgĩ wa Thiong'o"]
    assert ris_one(record)["PB"] == "Verso"


def test_bibtex_tricky_text() -> None:
    text = to_bibtex([NASTY])
    text.encode("utf-8")  # no lone surrogates left
    ((_, key, entry),) = parse_bibtex(text)
    assert key.startswith("zizek")
    assert entry["title"] == CLEAN_TITLE
    assert bib_names(entry["author"]) == ["Žižek, Slavoj", "村上, 春樹", "Ngũgĩ wa Thiong'o"]


def test_csl_tricky_text() -> None:
    text = to_csl_json([NASTY])
    text.encode("utf-8")
    (item,) = json.loads(text)
    assert item["title"] == CLEAN_TITLE
    assert item["author"] == [
        {"family": "Žižek", "given": "Slavoj"},
        {"family": "村上", "given": "春樹"},
        {"literal": "Ngũgĩ wa Thiong'o"},
    ]


@pytest.mark.parametrize(
    ("writer", "count"),
    [
        (to_ris, lambda t: len(ris_all(parse_ris(t)[0], "AU"))),
        (to_bibtex, lambda t: len(bib_names(parse_bibtex(t)[0][2]["author"]))),
        (to_csl_json, lambda t: len(json.loads(t)[0]["author"])),
    ],
    ids=["ris", "bibtex", "csl"],
)
def test_ten_thousand_creators(writer, count) -> None:  # type: ignore[no-untyped-def]
    assert count(writer([_many_creators(10_000)])) == 10_000
    assert growth(lambda n: partial(writer, [_many_creators(n)]), 1_000, 10_000) < LINEAR


def _many_creators(count: int) -> Resource:
    creators = tuple(Creator(f"Author{n}, Given") for n in range(count))
    return Resource(type=ResourceType.BOOK, citation=Citation(title="Big", creators=creators))


@settings(max_examples=150, deadline=None)
@given(title=st.text(max_size=60), publisher=st.text(max_size=20))
def test_any_text_reads_back_the_same_from_all_three(title: str, publisher: str) -> None:
    res = Resource(type=ResourceType.BOOK, citation=Citation(title=title, publisher=publisher))
    want = {"title": " ".join(clean_text(title).split())}
    want["publisher"] = " ".join(clean_text(publisher).split())
    (record,) = parse_ris(to_ris([res]))
    assert ris_one(record).get("TI", "") == want["title"]
    assert ris_one(record).get("PB", "") == want["publisher"]
    ((_, _, entry),) = parse_bibtex(to_bibtex([res]))
    assert untex(entry.get("title", "")) == want["title"]
    assert untex(entry.get("publisher", "")) == want["publisher"]
    (item,) = json.loads(to_csl_json([res]))
    assert (item.get("title", ""), item.get("publisher", "")) == (want["title"], want["publisher"])

"""BibTeX output read as BibTeX 0.99 reads it: braces counted whether escaped or not.

BibTeX's own scanner (``scan_balanced_braces`` in bibtex.web) has no escape
character: ``\\{`` opens a group like ``{`` does. So one ``{`` in a title,
written ``\\{``, ran the field on into the next entries (checked by hand with
BibTeX 0.99d: the year went into the title, the next entry was skipped, and a
``{`` in a name lost every entry after it). The scanner here is that rule.
"""

from __future__ import annotations

import re

import pytest

from crosswalks.citations import to_bibtex
from crosswalks.rli import Citation, Creator, Resource, ResourceType
from tests.crosswalks.citations.test_citations import untex


def _balanced(text: str, start: int) -> int:
    """The index just past the brace group opening at ``text[start]``, counting every brace."""
    depth = 0
    for pos in range(start, len(text)):
        depth += {"{": 1, "}": -1}.get(text[pos], 0)
        if depth == 0:
            return pos + 1
    raise AssertionError(f"group opened at {start} never closes")


def scan(text: str) -> list[tuple[str, str, dict[str, str]]]:
    """(type, key, {field: value inside its braces}) as BibTeX 0.99 scans the database."""
    entries = []
    pos = 0
    while (at := text.find("@", pos)) >= 0:
        head = re.compile(r"@(\w+)\{([^,\s{}]+),").match(text, at)
        assert head, text[at : at + 40]
        end = _balanced(text, head.end(1))
        body = text[head.end() : end - 1]
        fields: dict[str, str] = {}
        cursor = 0
        while m := re.compile(r"\s*([a-z]+) = ").match(body, cursor):
            if body.startswith("{", m.end()):
                close = _balanced(body, m.end())
                value = body[m.end() + 1 : close - 1]
            else:
                close = re.compile(r"[a-z]+").match(body, m.end()).end()  # type: ignore[union-attr]
                value = body[m.end() : close]
            fields[m.group(1)] = value
            cursor = close + 1 if body.startswith(",", close) else close
        assert not body[cursor:].strip(), f"left over in {head.group(2)}: {body[cursor:]!r}"
        entries.append((head.group(1), head.group(2), fields))
        pos = end
    return entries




def _book(title: str, *names: str) -> Resource:
    return Resource(
        type=ResourceType.BOOK,
        citation=Citation(
            title=title, creators=tuple(Creator(n) for n in names), publication_date="2001"
        ),
    )


@pytest.mark.parametrize(
    "title",
    ["A {broken title", "Second }{ book", "}", "{{{", "Set {a, b}", r"\{ \} {\}"],
)
def test_an_unbalanced_brace_in_a_title_stays_in_its_field(title: str) -> None:
    text = to_bibtex([_book(title, "Smith, Jane"), _book("Next", "Doe, John")])
    (_, _, first), (_, key, second) = scan(text)
    assert untex(first["title"]) == title
    assert first["year"] == "2001"
    assert (key, second["title"], second["author"]) == ("doe2001next", "Next", "Doe, John")


@pytest.mark.parametrize("name", ["{Brace", "Close}", "Family, Given {x", "}{, Jane"])
def test_a_brace_in_a_name_loses_no_entry_after_it(name: str) -> None:
    text = to_bibtex([_book("First", name, "Last, First"), _book("Next", "Doe, John")])
    (_, _, first), (_, _, second) = scan(text)
    assert untex(first["author"]).endswith(" and Last, First")
    assert name in untex(first["author"])
    assert second["author"] == "Doe, John"


def test_every_special_character_round_trips_through_the_scanner() -> None:
    title = r"50% of R&D costs $5 #1 in C_x {a} ~b ^c \d }{"
    ((_, _, entry),) = scan(to_bibtex([_book(title)]))
    assert untex(entry["title"]) == title

"""A book's number in its series (``RelatedTitle.volume`` of the series), which CSL
(``collection-number``) and BibTeX (``number`` of a @book or @incollection) carry: it
was dropped from both without a word, while MODS and oai_dc keep it."""

from __future__ import annotations

import json

from crosswalks.citations import to_bibtex, to_csl_json
from crosswalks.rli import Citation, RelatedTitle, RelatedTitleType, Resource, ResourceType
from tests.crosswalks.citations.test_bibtex_syntax import scan


def _in_series(rtype: ResourceType, part: str = "") -> Resource:
    series = RelatedTitle("Lecture Notes in Computer Science", RelatedTitleType.SERIES, "1234")
    return Resource(
        type=rtype, citation=Citation(title="Types", part=part, related_titles=(series,))
    )


def test_csl_carries_the_series_number() -> None:
    (book,) = json.loads(to_csl_json([_in_series(ResourceType.BOOK)]))
    assert book["collection-title"] == "Lecture Notes in Computer Science"
    assert book["collection-number"] == "1234"


def test_bibtex_book_and_chapter_carry_it_as_number() -> None:
    text = to_bibtex([_in_series(ResourceType.BOOK), _in_series(ResourceType.BOOK_CHAPTER)])
    for _, _, entry in scan(text):
        assert (entry["series"], entry["number"]) == ("Lecture Notes in Computer Science", "1234")


def test_bibtex_number_stays_the_issue_where_there_is_one() -> None:
    ((_, _, entry),) = scan(to_bibtex([_in_series(ResourceType.BOOK, part="7")]))
    assert entry["number"] == "7"
    (item,) = json.loads(to_csl_json([_in_series(ResourceType.BOOK, part="7")]))
    assert (item["issue"], item["collection-number"]) == ("7", "1234")

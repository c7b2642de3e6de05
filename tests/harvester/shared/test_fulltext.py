"""The search query language (harvester/shared/fulltext.py): every word quoted, bad queries refused.

Each expression is also run against a real FTS5 table, so a query the
language accepts is never an FTS5 syntax error.
"""

from __future__ import annotations

import sqlite3

import pytest

from harvester.shared.fulltext import TOKENIZER, QueryError, match_expression, year_of

ACCEPTED = [
    ("industrial revolution", '"industrial" AND "revolution"'),
    ('"industrial revolution"', '"industrial revolution"'),
    ("hist*", '"hist"*'),
    ('"social hist"*', '"social hist"*'),
    ("marx OR engels", '("marx" OR "engels")'),
    ("class marx OR engels", '"class" AND ("marx" OR "engels")'),
    ("class -engels", '("class") NOT "engels"'),
    ('class -"working men"', '("class") NOT "working men"'),
    ("Brontë's", '"Brontë\'s"'),
    ("and not near", '"and" AND "not" AND "near"'),  # lower case: words
    # in capitals, AND and NOT are ours (both; excluded); NEAR is a word
    ("law AND film NOT NEAR", '("law" AND "film") NOT "NEAR"'),
    ("title:law ^x", '"title:law" AND "^x"'),
    ("law ...", '"law"'),
]


@pytest.mark.parametrize(("query", "expected"), ACCEPTED)
def test_queries_become_quoted_fts_expressions(query: str, expected: str) -> None:
    expression = match_expression(query)
    assert expression == expected
    conn = sqlite3.connect(":memory:")
    conn.execute(f"CREATE VIRTUAL TABLE t USING fts5 (a, tokenize = '{TOKENIZER}')")
    conn.execute("INSERT INTO t (a) VALUES ('industrial revolution and class')")
    conn.execute("SELECT count(*) FROM t WHERE t MATCH ?", (expression,)).fetchone()


REFUSED = [
    ("", "empty"),
    ("   ", "empty"),
    ('"industrial revolution', "unbalanced quote"),
    ("OR", "OR needs a term"),
    ("marx OR", "OR needs a term"),
    ("marx OR OR engels", "OR needs a term"),
    ("marx NOT", "NOT needs a term after it"),
    ("AND", "nothing to search for"),
    ("*", "'*' needs the start of a word"),
    ("hi*st", "'*' goes only at the end"),
    ("-engels", "nothing to search for"),
    ("... !!", "nothing to search for"),
    # found in review: SQLite took 38 s for 16,000 words, minutes for 50,000
    ("a " * 16_000, "32,000 characters long; at most 1,000"),
    (" ".join(f"w{n}" for n in range(33)), "has 33 terms; at most 32"),
    ("x " + " ".join(f"-w{n}" for n in range(32)), "has 33 terms"),
]


@pytest.mark.parametrize(("query", "message"), REFUSED)
def test_bad_queries_are_one_clear_line(query: str, message: str) -> None:
    with pytest.raises(QueryError, match=message) as caught:
        match_expression(query)
    assert "\n" not in str(caught.value)


def test_diacritics_are_folded_by_the_tokenizer() -> None:
    conn = sqlite3.connect(":memory:")
    conn.execute(f"CREATE VIRTUAL TABLE t USING fts5 (a, tokenize = '{TOKENIZER}')")
    conn.executemany("INSERT INTO t (a) VALUES (?)", [("Brontë, Charlotte",), ("Żeromski",)])
    for query, found in (("Bronte", 1), ("BRONTË", 1), ("zeromski", 1), ("bront*", 1)):
        expression = match_expression(query)
        count = conn.execute("SELECT count(*) FROM t WHERE t MATCH ?", (expression,)).fetchone()
        assert count[0] == found, query


@pytest.mark.parametrize(("date", "year"), [("1847", 1847), ("1999-05-01", 1999),
                                            ("c. 1900", None), ("", None)])
def test_year_of(date: str, year: int | None) -> None:
    assert year_of(date) == year

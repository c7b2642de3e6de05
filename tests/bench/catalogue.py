"""A large synthetic library catalogue for the search benchmark, with a realistic vocabulary.

A catalogue of a million titles has a long-tailed vocabulary: a few words
(history, science, introduction) in many titles and most words in few.
:func:`vocabulary` takes the real words of the bundled lists and the sample
records (tests/samples, data/lists: titles, subjects, descriptions), most
frequent first, and extends them with pronounceable made-up words to
``size`` words; titles and subjects draw from it with Zipf's law (word of
rank r with weight 1/r), so the most frequent words are in several percent of
the titles and most words in very few. Creators come the same way from a
surname list that starts with real names, diacritics included (Müller,
García, Brontë), extended with made-up ones. Everything is deterministic
for a seed.
"""

from __future__ import annotations

import bisect
import itertools
import random
import re
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

from lxml import etree

from crosswalks.rli import (
    Citation,
    Creator,
    IdentifierType,
    Item,
    Resource,
    ResourceList,
    ResourceType,
    StandardIdentifier,
)
from crosswalks.xmlsafe import XMLInputError, parse_untrusted
from tests.bench.generate import GIVEN, SURNAMES

ROOT = Path(__file__).resolve().parents[2]
_OWN_TEXT = {"title", "subject", "description", "abstract", "topic", "note", "subTitle"}
# Elements whose text (or whose child's text, for LangString wrappers) is prose.
_PROSE = {"title", "subject", "description", "abstract", "topic", "note", "subtitle",
          "keyword", "string", "text", "langstring", "metadatalangstring"}
_WORD = re.compile(r"[^\W\d_]{3,}", re.UNICODE)
_SYLLABLES = tuple(c + v for c in "bcdfghklmnprstvz" for v in ("a", "e", "i", "o", "u", "ar",
                                                            "en", "ol"))
TYPES = (ResourceType.BOOK,) * 5 + (ResourceType.JOURNAL_ARTICLE,) * 4 + (
    ResourceType.BOOK_CHAPTER, ResourceType.WEB_PAGE, ResourceType.AUDIO_VISUAL)


def real_words() -> list[str]:
    """Words of titles, subjects and descriptions in the bundled lists and sample records.

    Most frequent first (ties by word); only the text of elements that hold
    prose (title, subject, description, ...), not identifiers or codes.
    """
    counts: Counter[str] = Counter()
    for path in sorted([*ROOT.glob("tests/samples/**/*.xml"), *ROOT.glob("data/lists/*.xml")]):
        try:
            root = parse_untrusted(path.read_bytes(), source=str(path))
        except XMLInputError:
            continue
        for el in root.iter():
            if isinstance(el.tag, str) and etree.QName(el).localname.lower() in _PROSE:
                parent = el.getparent()
                name = etree.QName(parent).localname.lower() if parent is not None else ""
                if el.text and (name in _PROSE or etree.QName(el).localname in _OWN_TEXT):
                    counts.update(w.lower() for w in _WORD.findall(el.text))
    return [w for w, _ in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))]


def made_up_words(seed: int) -> Iterator[str]:
    """Endless distinct pronounceable words of 2-4 syllables."""
    rng = random.Random(seed)
    seen: set[str] = set()
    while True:
        word = "".join(rng.choice(_SYLLABLES) for _ in range(rng.randint(2, 4)))
        if word not in seen:
            seen.add(word)
            yield word


def vocabulary(size: int, seed: int = 1) -> list[str]:
    """``size`` words: the real ones first, then made-up ones."""
    words = real_words()
    known = set(words)
    extra = (w for w in made_up_words(seed) if w not in known)
    return (words + list(itertools.islice(extra, max(0, size - len(words)))))[:size]


class Zipf:
    """Draws items with weight 1/rank (rank 1 is the first item)."""

    def __init__(self, items: list[str], rng: random.Random) -> None:
        self.items = items
        self.rng = rng
        self.cumulative = list(itertools.accumulate(1 / r for r in range(1, len(items) + 1)))

    def draw(self) -> str:
        point = self.rng.random() * self.cumulative[-1]
        return self.items[bisect.bisect_left(self.cumulative, point)]


class Catalogue:
    """Deterministic resources and lists drawn from one vocabulary."""

    def __init__(self, seed: int = 1, words: int = 50_000, surnames: int = 20_000) -> None:
        self.rng = random.Random(seed)
        self.words = Zipf(vocabulary(words, seed), self.rng)
        names = list(dict.fromkeys(("Müller", "García", "Brontë", *SURNAMES)))
        tail = (w.capitalize() for w in made_up_words(seed + 1))
        self.surnames = Zipf(names + list(itertools.islice(tail, surnames - len(names))),
                             self.rng)

    def title(self, low: int = 2, high: int = 9) -> str:
        words = [self.words.draw() for _ in range(self.rng.randint(low, high))]
        return " ".join(words).capitalize()

    def creator(self) -> Creator:
        return Creator(f"{self.surnames.draw()}, {self.rng.choice(GIVEN)}")

    def resource(self) -> Resource:
        rng = self.rng
        isbn = "978" + "".join(str(rng.randint(0, 9)) for _ in range(10))
        return Resource(
            type=rng.choice(TYPES),
            citation=Citation(
                title=self.title(),
                creators=tuple(self.creator() for _ in range(rng.choice((1, 1, 1, 2, 3)))),
                publication_date=str(rng.randint(1900, 2025)),
                publisher=f"{self.words.draw().capitalize()} Press",
                identifiers=(StandardIdentifier(IdentifierType.ISBN, isbn),),
            ),
            subjects=tuple(self.title(1, 3) for _ in range(rng.randint(0, 3))),
        )

    def resources(self, count: int) -> Iterator[Resource]:
        for _ in range(count):
            yield self.resource()

    def lists(self, count: int) -> Iterator[ResourceList]:
        """``count`` lists of 10-40 resources with course codes and owners."""
        for n in range(count):
            items = tuple(Item(f"i{k}", self.resource())
                          for k in range(1, self.rng.randint(10, 40) + 1))
            yield ResourceList(
                identifier=f"list-{n}", title=self.title(2, 6),
                owner=f"dr.{self.rng.choice(GIVEN).lower()}.{self.surnames.draw().lower()}",
                courses=(f"{self.words.draw()[:4].upper()}{self.rng.randint(1000, 4999)}",),
                description=self.title(5, 15), created=f"{self.rng.randint(2015, 2026)}-09-01",
                items=items,
            )

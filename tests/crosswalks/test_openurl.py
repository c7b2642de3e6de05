"""OpenURL 1.0 KEV: parsed back key by key for each resource type, encoding, resolver links."""

from __future__ import annotations

from urllib.parse import parse_qsl, urlsplit

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from crosswalks.openurl import OpenURLError, openurl_kev, openurl_link
from crosswalks.rli import (
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

JOURNAL = "info:ofi/fmt:kev:mtx:journal"
BOOK = "info:ofi/fmt:kev:mtx:book"


def _pairs(kev: str) -> list[tuple[str, str]]:
    return parse_qsl(kev, keep_blank_values=True, strict_parsing=True)


def _one(kev: str) -> dict[str, str]:
    """Keys that occur once, as a dict; asserts they really occur once."""
    pairs = _pairs(kev)
    single = {k: v for k, v in pairs if k not in ("rft_id", "rft.au")}
    assert len(single) == len([k for k, _ in pairs if k not in ("rft_id", "rft.au")])
    return single


def _all(kev: str, key: str) -> list[str]:
    return [v for k, v in _pairs(kev) if k == key]


ARTICLE = Resource(
    type=ResourceType.JOURNAL_ARTICLE,
    citation=Citation(
        title="Deep learning & the brain: a review",
        creators=(
            Creator("LeCun, Yann"),
            Creator("Bengio, Yoshua"),
            Creator("Hinton, Geoffrey"),
            Creator("Nature Editors", CreatorRole.EDITOR),
        ),
        publication_date="2015-05-28",
        volume="521",
        part="7553",
        start_page="436",
        end_page="444",
        identifiers=(StandardIdentifier(IdentifierType.DOI, "10.1038/nature14539"),),
        related_titles=(
            RelatedTitle("Series X", RelatedTitleType.SERIES),
            RelatedTitle(
                "Nature",
                RelatedTitleType.JOURNAL,
                identifiers=(StandardIdentifier(IdentifierType.ISSN, "1476-4687"),),
            ),
        ),
    ),
    locations=(
        Location(LocationType.URL, "https://www.nature.com/articles/nature14539?x=1&y=2"),
        Location(LocationType.SHELFMARK, "QP 1 .N3"),
    ),
)

CHAPTER = Resource(
    type=ResourceType.BOOK_CHAPTER,
    citation=Citation(
        title="The Gift",
        creators=(Creator("Mauss, Marcel"),),
        publication_date="1990",
        publisher="Routledge",
        publication_place="London",
        start_page="1",
        end_page="18",
        related_titles=(
            RelatedTitle(
                "Readings in Economic Anthropology",
                RelatedTitleType.HOST,
                creators=(Creator("Wilk, Richard", CreatorRole.EDITOR),),
                identifiers=(StandardIdentifier(IdentifierType.ISBN, "9780415267489"),),
            ),
        ),
    ),
)

BOOK_RES = Resource(
    type=ResourceType.BOOK,
    citation=Citation(
        title="Gödel, Escher, Bach: an Eternal Golden Braid",
        creators=(Creator("Hofstadter, Douglas R."),),
        edition="20th anniversary ed.",
        publication_date="1999",
        publication_place="New York",
        publisher="Basic Books",
        identifiers=(
            StandardIdentifier(IdentifierType.ISBN, "0465026567"),
            StandardIdentifier(IdentifierType.LCCN, "99034452"),
            StandardIdentifier(IdentifierType.OCLC, "40724766"),
            StandardIdentifier(IdentifierType.URI, "https://example.org/geb"),
            StandardIdentifier(IdentifierType.OTHER, "local-123"),
        ),
        related_titles=(RelatedTitle("Penguin Science", RelatedTitleType.SERIES),),
    ),
)


def test_context_keys_come_first_in_fixed_order() -> None:
    pairs = _pairs(openurl_kev(ARTICLE))
    assert pairs[:4] == [
        ("url_ver", "Z39.88-2004"),
        ("ctx_ver", "Z39.88-2004"),
        ("ctx_enc", "info:ofi/enc:UTF-8"),
        ("rft_val_fmt", JOURNAL),
    ]
    keys = [k for k, _ in pairs]
    last_id = max(i for i, k in enumerate(keys) if k == "rft_id")
    first_meta = min(i for i, k in enumerate(keys) if k.startswith("rft."))
    assert last_id < first_meta
    assert keys[first_meta] == "rft.genre"


def test_journal_article() -> None:
    kev = openurl_kev(ARTICLE)
    one = _one(kev)
    assert one["rft_val_fmt"] == JOURNAL
    assert one["rft.genre"] == "article"
    assert one["rft.atitle"] == "Deep learning & the brain: a review"
    assert one["rft.jtitle"] == "Nature"  # the journal, not the series listed first
    assert one["rft.issn"] == "1476-4687"
    assert (one["rft.volume"], one["rft.issue"]) == ("521", "7553")
    assert (one["rft.spage"], one["rft.epage"], one["rft.pages"]) == ("436", "444", "436-444")
    assert one["rft.date"] == "2015-05-28"
    assert (one["rft.aulast"], one["rft.aufirst"]) == ("LeCun", "Yann")
    assert _all(kev, "rft.au") == ["Bengio, Yoshua", "Hinton, Geoffrey"]  # editors are not authors
    assert _all(kev, "rft_id") == [
        "info:doi/10.1038/nature14539",
        "https://www.nature.com/articles/nature14539?x=1&y=2",
    ]
    assert not {"rft.btitle", "rft.pub", "rft.place"} & one.keys()  # not journal matrix keys


def test_book_chapter() -> None:
    kev = openurl_kev(CHAPTER)
    one = _one(kev)
    assert (one["rft_val_fmt"], one["rft.genre"]) == (BOOK, "bookitem")
    assert one["rft.atitle"] == "The Gift"
    assert one["rft.btitle"] == "Readings in Economic Anthropology"
    assert one["rft.isbn"] == "9780415267489"  # from the host book
    assert _all(kev, "rft_id") == ["urn:ISBN:9780415267489"]
    assert (one["rft.pub"], one["rft.place"], one["rft.date"]) == ("Routledge", "London", "1990")
    assert (one["rft.spage"], one["rft.epage"]) == ("1", "18")
    assert (one["rft.aulast"], one["rft.aufirst"]) == ("Mauss", "Marcel")
    assert "rft.jtitle" not in one and "rft.volume" not in one


def test_book() -> None:
    kev = openurl_kev(BOOK_RES)
    one = _one(kev)
    assert (one["rft_val_fmt"], one["rft.genre"]) == (BOOK, "book")
    assert one["rft.btitle"] == "Gödel, Escher, Bach: an Eternal Golden Braid"
    assert "rft.atitle" not in one
    assert one["rft.isbn"] == "0465026567"
    assert one["rft.edition"] == "20th anniversary ed."
    assert (one["rft.pub"], one["rft.place"]) == ("Basic Books", "New York")
    assert one["rft.series"] == "Penguin Science"
    assert _all(kev, "rft_id") == [
        "urn:ISBN:0465026567",
        "info:lccn/99034452",
        "info:oclcnum/40724766",
        "https://example.org/geb",
    ]  # an "other" identifier has no namespace to go in


@pytest.mark.parametrize(
    ("rtype", "fmt", "genre", "title_key"),
    [
        (ResourceType.JOURNAL, JOURNAL, "journal", "rft.jtitle"),
        (ResourceType.WEB_PAGE, BOOK, "document", "rft.btitle"),
        (ResourceType.LOCAL, BOOK, "document", "rft.btitle"),
        (ResourceType.AUDIO_VISUAL, BOOK, "unknown", "rft.btitle"),
        (ResourceType.OTHER, BOOK, "unknown", "rft.btitle"),
    ],
)
def test_other_types(rtype: ResourceType, fmt: str, genre: str, title_key: str) -> None:
    res = Resource(
        type=rtype,
        citation=Citation(title="A thing", creators=(Creator("BBC"),), publication_date="2001"),
        locations=(Location(LocationType.URL, "https://example.org/thing"),),
    )
    kev = openurl_kev(res)
    one = _one(kev)
    assert (one["rft_val_fmt"], one["rft.genre"], one[title_key]) == (fmt, genre, "A thing")
    assert _all(kev, "rft.au") == ["BBC"]  # a name that is not "Family, Given" stays whole
    assert "rft.aulast" not in one
    assert _all(kev, "rft_id") == ["https://example.org/thing"]


def test_director_is_the_author_of_a_film() -> None:
    res = Resource(
        type=ResourceType.AUDIO_VISUAL,
        citation=Citation(
            title="Night and Fog",
            creators=(Creator("Resnais, Alain", CreatorRole.DIRECTOR),),
        ),
    )
    assert (_one(openurl_kev(res))["rft.aulast"]) == "Resnais"


def test_empty_resource_has_only_the_context_and_genre() -> None:
    assert [k for k, _ in _pairs(openurl_kev(Resource()))] == [
        "url_ver",
        "ctx_ver",
        "ctx_enc",
        "rft_val_fmt",
        "rft.genre",
    ]


def test_values_are_percent_encoded() -> None:
    kev = openurl_kev(ARTICLE)
    for piece in kev.split("&"):
        key, _, value = piece.partition("=")
        assert key and "=" not in value and " " not in value and "+" not in value
    assert "rft.atitle=Deep%20learning%20%26%20the%20brain%3A%20a%20review" in kev
    assert "rft_id=info%3Adoi%2F10.1038%2Fnature14539" in kev


def test_unicode_and_illegal_characters() -> None:
    res = Resource(
        type=ResourceType.BOOK,
        citation=Citation(
            title="Ça\x00 va\n\tbien 😀 = + ?",
            creators=(Creator("Łukasiewicz, Jan\x0b"),),
        ),
    )
    kev = openurl_kev(res)
    kev.encode("ascii")  # all non-ASCII is percent-encoded UTF-8
    one = _one(kev)
    assert one["rft.btitle"] == "Ça va bien 😀 = + ?"
    assert (one["rft.aulast"], one["rft.aufirst"]) == ("Łukasiewicz", "Jan")


def test_ten_thousand_authors() -> None:
    creators = tuple(Creator(f"Author{n}, A.") for n in range(10_000))
    res = Resource(
        type=ResourceType.JOURNAL_ARTICLE, citation=Citation(title="Big", creators=creators)
    )
    kev = openurl_kev(res)
    assert len(_all(kev, "rft.au")) == 9_999
    assert _one(kev)["rft.aulast"] == "Author0"


@pytest.mark.parametrize(
    ("base", "joiner"),
    [
        ("https://resolver.example.ac.uk/openurl", "?"),
        ("https://resolver.example.ac.uk/openurl?sid=rli", "&"),
        ("http://sfx.example.edu/sfx_local?", ""),
        ("http://sfx.example.edu/sfx_local?a=1&", ""),
        ("  https://resolver.example.ac.uk/openurl  ", "?"),
    ],
)
def test_link_joins_the_base(base: str, joiner: str) -> None:
    link = openurl_link(BOOK_RES, base)
    assert link == base.strip() + joiner + openurl_kev(BOOK_RES)
    query = dict(parse_qsl(urlsplit(link).query))
    assert query["rft.btitle"] == BOOK_RES.title


@pytest.mark.parametrize(
    "base",
    ["", "resolver.example.org/openurl", "ftp://x.example/openurl", "https://", "https://x/#f"],
)
def test_bad_resolver_base(base: str) -> None:
    with pytest.raises(OpenURLError):
        openurl_link(BOOK_RES, base)


@settings(max_examples=150, deadline=None)
@given(title=st.text(max_size=60), author=st.text(max_size=20))
def test_any_text_decodes_back(title: str, author: str) -> None:
    res = Resource(
        type=ResourceType.JOURNAL_ARTICLE,
        citation=Citation(title=title, creators=(Creator(author),)),
    )
    kev = openurl_kev(res)
    kev.encode("ascii")
    one = _one(kev)
    assert one.get("rft.atitle", "") == " ".join(clean_text(title).split())
    name = " ".join(clean_text(author).split())
    parts = [p.strip() for p in name.split(",")]
    if not name:
        assert "rft.au" not in kev and "rft.aulast" not in one
    elif len(parts) == 2 and all(parts):  # "Family, Given"
        assert [one["rft.aulast"], one["rft.aufirst"]] == parts
    else:
        assert _all(kev, "rft.au") == [name]

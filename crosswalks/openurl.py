"""OpenURL 1.0 (ANSI/NISO Z39.88-2004) links for RLI resources, KEV (key/encoded-value) form.

A resolver link lets a student reach the library's copy of a cited work. The
ContextObject is sent by value: ``url_ver``, ``ctx_ver``, ``ctx_enc`` and
``rft_val_fmt`` first, then ``rft_id`` (repeatable), then the ``rft.*``
metadata keys in the order of the table below. Keys with empty values are
left out; values are UTF-8 and percent-encoded (RFC 3986, space as ``%20``).

Format and genre per RLI resource type:

==============  =====================  ========  ===========================
RLI type        rft_val_fmt            genre     title keys
==============  =====================  ========  ===========================
journalArticle  kev:mtx:journal        article   atitle, jtitle (journal)
journal         kev:mtx:journal        journal   jtitle
bookChapter     kev:mtx:book           bookitem  atitle, btitle (host book)
book            kev:mtx:book           book      btitle
webPage         kev:mtx:book           document  btitle
local           kev:mtx:book           document  btitle
audioVisual     kev:mtx:book           unknown   btitle
other           kev:mtx:book           unknown   btitle
==============  =====================  ========  ===========================

Field map (the journal matrix has no pub/place/edition/isbn-of-host keys, the
book matrix no volume/issue keys; only the keys a matrix defines are sent):

- first author "Family, Given" -> ``aulast`` + ``aufirst``; an unsplittable
  first author and every further author -> ``au`` (one per author)
- publication date -> ``date`` as ISO 8601 (``YYYY[-MM[-DD]]``, what the matrices
  define): a real month and day kept, else the first four-digit year ("c1999",
  "1999/2000" -> ``1999``), else no ``date`` ("n.d."); volume -> ``volume``; part -> ``issue``;
  pages -> ``spage``, ``epage``, ``pages``
- publisher -> ``pub``; place -> ``place``; edition -> ``edition``; series -> ``series``
- ISSN -> ``issn``; ISBN -> ``isbn`` and ``rft_id=urn:ISBN:...``;
  DOI -> ``rft_id=info:doi/...``; LCCN -> ``info:lccn/...``; OCLC ->
  ``info:oclcnum/...``; URI identifiers and URL locations -> ``rft_id`` as is (a
  URI in an ISBN's or ISSN's URN form gives ``isbn`` / ``issn`` too; one naming
  nothing, ``urn:ISBN:``, is not sent). Values are percent-encoded whatever they
  hold: DEL and C1 controls too (``%7F``, ``%C2%80``), as RFC 3986 and the KEV
  format want of any octet outside the unreserved set

Lost: editors, translators and other contributors (KEV has no role keys),
abstracts, annotations, subjects, shelfmarks. No referrer (``rfr_id``) is sent.

Exception tree::

    OpenURLError       the resolver base URL is not an absolute http(s) URL
"""

from __future__ import annotations

import re
from urllib.parse import quote, urlsplit

from crosswalks.citations.fields import CitationFields, fields_of, pages, split_name
from crosswalks.http_url import NOT_HTTP, url_problem
from crosswalks.rli import IdentifierType, Resource, ResourceType

Z39_88 = "Z39.88-2004"
FMT_JOURNAL = "info:ofi/fmt:kev:mtx:journal"
FMT_BOOK = "info:ofi/fmt:kev:mtx:book"

# ResourceType -> (rft_val_fmt, rft.genre, key for the work's own title, key for the container)
GENRES: dict[ResourceType, tuple[str, str, str, str]] = {
    ResourceType.JOURNAL_ARTICLE: (FMT_JOURNAL, "article", "atitle", "jtitle"),
    ResourceType.JOURNAL: (FMT_JOURNAL, "journal", "jtitle", ""),
    ResourceType.BOOK_CHAPTER: (FMT_BOOK, "bookitem", "atitle", "btitle"),
    ResourceType.BOOK: (FMT_BOOK, "book", "btitle", ""),
    ResourceType.WEB_PAGE: (FMT_BOOK, "document", "btitle", ""),
    ResourceType.LOCAL: (FMT_BOOK, "document", "btitle", ""),
    ResourceType.AUDIO_VISUAL: (FMT_BOOK, "unknown", "btitle", ""),
    ResourceType.OTHER: (FMT_BOOK, "unknown", "btitle", ""),
}

# rft_id prefixes for identifiers that have a registered info: or urn: namespace.
ID_PREFIXES: dict[IdentifierType, str] = {
    IdentifierType.DOI: "info:doi/",
    IdentifierType.ISBN: "urn:ISBN:",
    IdentifierType.LCCN: "info:lccn/",
    IdentifierType.OCLC: "info:oclcnum/",
    IdentifierType.URI: "",
}

# Metadata keys each matrix defines, in the order they are written.
MATRIX_KEYS: dict[str, tuple[str, ...]] = {
    FMT_JOURNAL: (
        "genre", "atitle", "jtitle", "aulast", "aufirst", "au", "date", "volume",
        "issue", "spage", "epage", "pages", "issn", "isbn",
    ),
    FMT_BOOK: (
        "genre", "atitle", "btitle", "aulast", "aufirst", "au", "date", "pub", "place",
        "edition", "series", "spage", "epage", "pages", "isbn", "issn",
    ),
}  # fmt: skip


# A URN or info URI with nothing after its namespace ("urn:ISBN:", "info:doi/").
_EMPTY_URI = re.compile(r"^\s*(?:urn:[^:/\s]*:?|info:[^/\s]*/?)\s*$", re.I)


class OpenURLError(ValueError):
    """An OpenURL could not be made; the message says why."""


def _rft_ids(f: CitationFields) -> list[str]:
    ids = [f"info:doi/{doi}" for doi in f.dois]
    ids += [f"urn:ISBN:{isbn}" for isbn in f.isbns]
    # a blank identifier is none: "info:lccn/" (or a URI "urn:ISBN:") alone names nothing
    ids += [ID_PREFIXES[kind] + value for kind, value in f.other_ids
            if kind in ID_PREFIXES and value and not _EMPTY_URI.match(value)]
    ids += list(f.urls)
    return list(dict.fromkeys(ids))


def _authors(f: CitationFields) -> list[tuple[str, str]]:
    if not f.authors:
        return []
    first = split_name(f.authors[0])
    head = [("aulast", first[0]), ("aufirst", first[1])] if first else [("au", f.authors[0])]
    return head + [("au", name) for name in f.authors[1:]]


def _iso_date(f: CitationFields) -> str:
    """``YYYY[-MM[-DD]]`` of the date, else its first four-digit year, else ""."""
    parts = f.date_parts
    if not parts:
        return f.year
    return "-".join([f"{parts[0]:04d}", *(f"{p:02d}" for p in parts[1:])])


def _metadata(
    f: CitationFields, fmt: str, genre: str, own: str, host: str
) -> list[tuple[str, str]]:
    values: dict[str, list[str]] = {
        "genre": [genre],
        own: [f.title],
        "date": [_iso_date(f)],
        "volume": [f.volume],
        "issue": [f.issue],
        "spage": [f.start_page],
        "epage": [f.end_page],
        "pages": [pages(f, "-")],
        "pub": [f.publisher],
        "place": [f.place],
        "edition": [f.edition],
        "series": [f.series],
        "issn": list(f.issns[:1]),
        "isbn": list(f.isbns[:1]),
    }
    if host:
        values[host] = [f.container]
    for key, value in _authors(f):
        values.setdefault(key, []).append(value)
    return [
        (f"rft.{key}", value) for key in MATRIX_KEYS[fmt] for value in values.get(key, []) if value
    ]


def openurl_pairs(res: Resource) -> list[tuple[str, str]]:
    """The ContextObject as ordered (key, value) pairs, before percent-encoding."""
    f = fields_of(res)
    fmt, genre, own, host = GENRES[res.type]
    pairs = [
        ("url_ver", Z39_88),
        ("ctx_ver", Z39_88),
        ("ctx_enc", "info:ofi/enc:UTF-8"),
        ("rft_val_fmt", fmt),
    ]
    pairs += [("rft_id", rid) for rid in _rft_ids(f)]
    return pairs + _metadata(f, fmt, genre, own, host)


def openurl_kev(res: Resource) -> str:
    """The KEV query string for ``res`` (no leading ``?``); never raises for a typed resource."""
    return "&".join(f"{key}={quote(value, safe='')}" for key, value in openurl_pairs(res))


def openurl_link(res: Resource, resolver_base: str) -> str:
    """``resolver_base`` + "?" (or "&" when the base already has a query) + the KEV.

    Raises :class:`OpenURLError` when ``resolver_base`` is not an absolute
    http(s) URL or carries a fragment.
    """
    base = resolver_base.strip()
    problem = url_problem(base)
    if problem is not None:
        why = "" if problem == NOT_HTTP else f": {problem}"
        raise OpenURLError(f"resolver base must be an absolute http(s) URL, not {base!r}{why}")
    parts = urlsplit(base)
    if parts.fragment or base.endswith("#"):
        raise OpenURLError(f"resolver base must not have a fragment: {base!r}")
    joiner = "" if base.endswith(("?", "&")) else "&" if parts.query else "?"
    return base + joiner + openurl_kev(res)

"""The OAI response as a page for people: who gets one, and rendering it on the server.

Browsers are removing XSLT, so ``<?xml-stylesheet?>`` alone will soon leave
``/oai`` as raw XML in the browsers people use. A request whose ``Accept``
header prefers ``text/html`` over XML and names ``application/xhtml+xml``
(:func:`prefers_html`; what every browser sends) is answered with the very XML
a harvester would get, transformed here by lxml with the stylesheet browsers
used to apply (``static/oai2.xsl``). Everyone else (``*/*``, ``text/xml``,
``application/xml``, no ``Accept``) gets the XML untouched: a tie goes to XML.
The XHTML condition keeps harvesters on XML whose HTTP library prefers HTML by
default: Java's ``HttpURLConnection`` sends ``text/html, image/gif, image/jpeg,
*; q=.2, */*; q=.2`` unless told otherwise.

Why the stylesheet rather than templates: the page is a function of the bytes
a harvester receives, so its arguments, errors and resumption links cannot
drift from the XML; one file serves the server and the browsers that still
apply it; no second reading of every metadata format to keep in step.

Exception tree::

    PageError    a response could not be rendered (the caller answers the XML instead)
"""

from __future__ import annotations

import math
import re
import threading
from typing import Any

from lxml import etree

from crosswalks.xmlsafe import XMLInputError, parse_untrusted

HTML_TYPES = ("text/html", "application/xhtml+xml")
XML_TYPES = ("text/xml", "application/xml")
_XHTML = ("application", "xhtml+xml")

MediaRange = tuple[str, str, float]

# What an XSLT parameter cannot carry, and what has no place in a link anyway.
_NOT_IN_LINKS = re.compile("[\x00-\x1f\x7f\ud800-\udfff\ufffe\uffff]")


class PageError(Exception):
    """The response could not be rendered as a page (the message says why)."""


def prefers_html(accept: str) -> bool:
    """Whether an ``Accept`` header is a browser's: it ranks HTML strictly above XML
    (RFC 9110 §12.5.1) and names ``application/xhtml+xml`` (module docstring).

    Each type takes the quality of the most specific range that matches it
    (``text/html`` over ``text/*`` over ``*/*``); unreadable ranges are ignored.
    """
    ranges = media_ranges(accept)
    html = quality(ranges, HTML_TYPES)
    names_xhtml = any((main, sub) == _XHTML and q > 0 for main, sub, q in ranges)
    return names_xhtml and html > 0 and html > quality(ranges, XML_TYPES)


def media_ranges(accept: str) -> list[MediaRange]:
    """The ``(type, subtype, q)`` of each readable range in an ``Accept`` header."""
    found: list[MediaRange] = []
    for part in accept.split(","):
        kind, *params = (p.strip() for p in part.split(";"))
        main, slash, sub = kind.lower().partition("/")
        if not (slash and main and sub):
            continue
        q: float | None = 1.0
        for param in params:
            name, _, value = param.partition("=")
            if name.strip().lower() == "q":
                q = _quality_value(value.strip())
        if q is not None:
            found.append((main, sub, q))
    return found


def quality(ranges: list[MediaRange], types: tuple[str, ...]) -> float:
    """The best quality any of ``types`` gets from ``ranges`` (0 if none matches)."""
    best = 0.0
    for media_type in types:
        main, _, sub = media_type.partition("/")
        level, value = -1, 0.0
        for r_main, r_sub, q in ranges:
            if (r_main, r_sub) == (main, sub):
                rank = 2
            elif r_main == main and r_sub == "*":
                rank = 1
            elif (r_main, r_sub) == ("*", "*"):
                rank = 0
            else:
                continue
            if rank > level or (rank == level and q > value):
                level, value = rank, q
        best = max(best, value)
    return best


def _quality_value(text: str) -> float | None:
    try:
        q = float(text)
    except ValueError:
        return None
    return q if math.isfinite(q) and 0.0 <= q <= 1.0 else None


class PageRenderer:
    """Renders OAI-PMH responses as HTML with an XSLT 1.0 stylesheet (one compiled per thread).

    The stylesheet may read nothing beyond the response (no ``document()``,
    no files, no network).
    """

    def __init__(self, stylesheet: bytes) -> None:
        self._source = stylesheet
        self._local = threading.local()
        self._transform()  # a broken stylesheet fails here, when the app starts

    def _transform(self) -> etree.XSLT:
        found: etree.XSLT | None = getattr(self._local, "xslt", None)
        if found is None:
            doc = parse_untrusted(self._source, source="OAI stylesheet")
            deny = etree.XSLTAccessControl.DENY_ALL  # type: ignore[attr-defined]  # not in stubs
            found = etree.XSLT(doc, access_control=deny)
            self._local.xslt = found
        return found

    def render(self, response: bytes, *, raw_xml: str = "") -> bytes:
        """The page (UTF-8 HTML) for one OAI-PMH response.

        ``raw_xml`` is the address of the same response as XML, for the page's
        link to it (empty: the stylesheet builds one from ``<request>``).
        Raises PageError if the response does not parse or the transform fails.
        """
        try:
            doc = parse_untrusted(response, source="OAI response")
            params: dict[str, Any] = {"raw-xml": etree.XSLT.strparam(link_safe(raw_xml)),
                                      "rendered": etree.XSLT.strparam("server")}
            result = self._transform()(doc, **params)
        except (XMLInputError, etree.XSLTError) as exc:
            raise PageError(str(exc)) from exc
        return bytes(result)


def link_safe(url: str) -> str:
    """``url`` with control characters (and what XML cannot hold) percent-encoded as UTF-8.

    A WSGI ``QUERY_STRING`` is the request line as sent: servers other than
    gunicorn pass a control character on, which no XSLT parameter may hold.
    """
    return _NOT_IN_LINKS.sub(
        lambda m: "".join(f"%{b:02X}" for b in m.group().encode("utf-8", "surrogatepass")), url)

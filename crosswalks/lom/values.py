"""LOM datatypes read across bindings: LangString, vocabulary, vCard, DateTime, identifiers.

Element names are matched case-insensitively on their local part, so the IEEE
binding (``string``, ``entity``, ``dateTime``), IMS MD 1.2 (``langstring``,
``centity/vcard``, ``catalogentry``) and look-alikes such as UvA Triple-L
(``langstring/value``) all read through these functions. None of them raises.
"""

from __future__ import annotations

import quopri
import re
from collections.abc import Iterator

from lxml import etree

_XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"

_PLACEHOLDER_NAMES = frozenset({"onbekend", "unknown", "anonymous", "anoniem", "n/a", "-"})
# A value ends at a line break, END:VCARD, or a property glued to it ("Version 0.1EMAIL;",
# a card whose line breaks were lost): a word after a blank is the value's ("ACME URL: Lab").
_VCARD_FIELD = re.compile(
    r"(?:^|\n|\\n|(?i:BEGIN:VCARD))[ \t]*((?i:FN|N|ORG))(;[^:\n]*)?:(.*?)"
    r"(?=\\n|\r?\n|(?i:END:VCARD)|(?<=\S)(?:EMAIL|TEL|ADR|ORG|VERSION|TITLE|URL|NOTE)[;:]|$)",
    re.S,
)
_UNESCAPE = re.compile(r"\\([,;\\])")
_ESCAPE_OR_SEPARATOR = re.compile(r"(\\[,;\\]|;)")
_DATE = re.compile(r"^\s*(\d{4}(?:-\d{2}(?:-\d{2})?)?)")
# A line break and one blank fold a long line (RFC 2426, 6350); a line that starts a
# property ("FN:", "item1.TEL;TYPE=WORK:") is no fold but a card indented inside the XML
# (only a property's name: "Oye;Jan;;;", folded out of an N value, is the value's rest).
_FOLD = re.compile(
    r"\r?\n[ \t](?![ \t]*(?:[\w-]+\.)?(?i:BEGIN|END|VERSION|FN|N|ORG|TEL|EMAIL|ADR|LABEL"
    r"|TITLE|ROLE|URL|NOTE|UID|REV|PHOTO|LOGO|SOURCE|X-[\w-]+)[;:])")
# Where a card written on one line begins a property (the names it would begin lines with).
_ONE_LINE = re.compile(r"[ \t]+(?=(?i:VERSION|FN|N|ORG|TEL|EMAIL|ADR|TITLE|URL|NOTE|END)[;:])")
_QP_SOFT_BREAK = re.compile(r"=\r?\n[ \t]*")
_CHARSET = re.compile(r"CHARSET=([\w.:-]+)", re.I)
_ADR = re.compile(r"(?:^|\n|\\n)[ \t]*ADR(?:;[^:\n]*)?:([^\n]*?)(?=\\n|\r?\n|(?i:END:VCARD)|$)")


def lname(el: etree._Element) -> str:
    """Lower-case local name; "" for comments and processing instructions."""
    tag = el.tag
    return tag.rpartition("}")[2].lower() if isinstance(tag, str) else ""


def kids(el: etree._Element, *names: str) -> Iterator[etree._Element]:
    """Element children of ``el`` whose lower-case local name is in ``names``."""
    for child in el:
        if lname(child) in names:
            yield child


def squash(text: str | None) -> str:
    """``text`` with runs of whitespace collapsed to one space; "" for None."""
    return " ".join(text.split()) if text else ""


def strings(el: etree._Element) -> list[tuple[str, str]]:
    """(language, text) pairs of a LangString in any of its bindings."""
    found: list[tuple[str, str]] = []
    for child in el:
        name = lname(child)
        if name == "string":
            found.append((child.get("language") or "", (child.text or "").strip()))
        elif name == "langstring":
            value = next(kids(child, "value"), None)
            if value is not None:
                lang = next(kids(child, "language"), None)
                lang_text = (lang.text or "") if lang is not None else ""
                found.append((lang_text, (value.text or "").strip()))
            else:
                lang_attr = child.get(_XML_LANG) or child.get("lang") or ""
                found.append((lang_attr, (child.text or "").strip()))
    if not found and len(el) == 0 and el.text and el.text.strip():
        found.append(("", el.text.strip()))
    return [(lang, text) for lang, text in found if text]


def best(pairs: list[tuple[str, str]], language: str) -> str:
    """The text in ``language`` (or a regional variant of it), else the first."""
    want = language.lower().split("-")[0]
    for lang, text in pairs:
        if want and lang.lower().split("-")[0] == want:
            return text
    return pairs[0][1] if pairs else ""


def kept(pairs: list[tuple[str, str]], language: str, losses: list[str], where: str) -> str:
    """:func:`best` of ``pairs``, with a loss line for each other text (a translation)."""
    text = best(pairs, language)
    losses.extend(f"{where} {t!r} ({lang or 'no language'}) dropped"
                  for lang, t in pairs if t != text)
    return text


def vocab(el: etree._Element) -> tuple[str, str]:
    """(source, value) of a LOM vocabulary element in any binding."""
    source = value = ""
    for child in el:
        name = lname(child)
        if name in ("source", "value"):
            pairs = strings(child)
            text = pairs[0][1] if pairs else squash(child.text)
            if name == "source":
                source = text
            else:
                value = text
    return source, value


def plain(el: etree._Element) -> str:
    """Text of a simple element, or of its ``value`` child (Triple-L location)."""
    value = next(kids(el, "value"), None)
    return squash((value if value is not None else el).text)


def _components(value: str) -> list[str]:
    """The ``;``-separated components of a vCard value, unescaped (``\\;`` stays a ``;``)."""
    parts = [""]
    # split() with a group alternates text (even places) and what it matched (odd places)
    for n, token in enumerate(_ESCAPE_OR_SEPARATOR.split(value)):
        if n % 2 == 0:
            parts[-1] += token
        elif token == ";":
            parts.append("")
        else:
            parts[-1] += token[1]
    return parts


def _unfolded(card: str) -> str:
    """``card`` with its folded lines (and quoted-printable soft line breaks) joined."""
    card = _FOLD.sub("", card)
    return _QP_SOFT_BREAK.sub("", card) if "QUOTED-PRINTABLE" in card.upper() else card


def _decoded(params: str | None, value: str) -> str:
    """A vCard 2.1 value as text: quoted-printable decoded in its CHARSET (else UTF-8)."""
    if not params or "QUOTED-PRINTABLE" not in params.upper():
        return value
    raw = quopri.decodestring(value.encode("utf-8"))
    charset = _CHARSET.search(params)
    try:
        return raw.decode(charset.group(1) if charset else "utf-8")
    except (LookupError, UnicodeDecodeError):
        return raw.decode("latin-1")


def vcard_name(card: str, *, organisation_first: bool = False) -> str:
    """A name from a vCard: N as "Family, Given", else FN, else ORG (ORG first for bodies).

    An entity that is not a vCard at all (LOM-fr records often give a plain
    "Vincent Courtillot") is that name.
    """
    fields: dict[str, str] = {}
    card = _unfolded(card)
    if "\n" not in card and "\\n" not in card and "BEGIN:VCARD" in card.upper():
        card = _ONE_LINE.sub("\n", card)  # its line breaks lost on the way: put back
    for match in _VCARD_FIELD.finditer(card):
        value = squash(_decoded(match.group(2), match.group(3)))
        fields.setdefault(match.group(1).upper(), value)
    if not fields and "BEGIN:VCARD" not in card.upper():
        name = squash(card)
        return "" if name.lower() in _PLACEHOLDER_NAMES else name
    org = _components(fields.get("ORG", ""))[0].strip()
    if organisation_first and org:
        return org
    parts = [p.strip() for p in _components(fields.get("N", ""))]
    if len(parts) >= 2 and parts[0] and parts[1]:
        return f"{parts[0]}, {parts[1]}"
    full = _UNESCAPE.sub(r"\1", fields.get("FN", "")).strip()
    if full and full.lower() not in _PLACEHOLDER_NAMES:
        return full
    return org or (parts[0] if parts else "") or full


def iso_date(el: etree._Element) -> str:
    """The date of a LOM DateTime: its dateTime cut to the day, else its description."""
    for child in el:
        name = lname(child)
        if name == "datetime":
            text = squash(child.text)
            match = _DATE.match(text)
            return match.group(1) if match else text
    desc = next(kids(el, "description"), None)
    pairs = strings(desc) if desc is not None else []
    return pairs[0][1] if pairs else ""


def entities(contribute: etree._Element) -> list[str]:
    """The vCard texts of a contribute (``entity`` or IMS MD ``centity/vcard``)."""
    cards = [c.text or "" for c in kids(contribute, "entity")]
    for centity in kids(contribute, "centity"):
        cards.extend(v.text or "" for v in kids(centity, "vcard"))
    return cards


def identifiers(el: etree._Element) -> list[tuple[str, str]]:
    """(catalog, entry) pairs of identifier / catalogentry children; an IMS MD 1.2
    ``identifier`` is a plain string (catalog "")."""
    found: list[tuple[str, str]] = []
    for ident in kids(el, "identifier", "catalogentry"):
        catalog, entry = "", squash(ident.text) if len(ident) == 0 else ""
        for child in ident:
            name = lname(child)
            if name == "catalog":
                catalog = squash(child.text)
            elif name == "entry":
                pairs = strings(child)
                entry = pairs[0][1] if pairs else squash(child.text)
        if entry:
            found.append((catalog, entry))
    return found


def vcard_place(card: str) -> str:
    """The locality (city) of a vCard's first ADR, "" if none."""
    match = _ADR.search(_unfolded(card))
    if match is None:
        return ""
    parts = _components(match.group(1))
    return parts[3].strip() if len(parts) > 3 else ""

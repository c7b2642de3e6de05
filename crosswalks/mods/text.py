"""The text of a MODS element, as the reader and the identifier reader both take it."""

from __future__ import annotations

from lxml import etree

_ISBD_TAIL = " /:;,="


def text(el: etree._Element) -> str:
    """``el``'s text (its children's too), whitespace runs made one space."""
    raw = el.text if len(el) == 0 else "".join(t for t in el.itertext() if isinstance(t, str))
    return " ".join(raw.split()) if raw else ""


def isbd(value: str) -> str:
    """``value`` without the trailing ISBD punctuation cataloguers leave (``Leiden :``)."""
    return value.rstrip(_ISBD_TAIL).strip()

"""The text of a MODS element, as the reader and the identifier reader both take it.

``text`` is for names, titles and codes: every whitespace run becomes one space.
``prose`` is for free prose (abstract, note): the same within a paragraph, but
paragraphs (split at blank lines) are kept, joined by one blank line.
"""

from __future__ import annotations

import re

from lxml import etree

_ISBD_TAIL = " /:;,="
# A blank line: two line breaks with nothing but whitespace between them.
_PARAGRAPH_BREAK = re.compile(r"\n\s*\n")


def _raw(el: etree._Element) -> str:
    raw = el.text if len(el) == 0 else "".join(t for t in el.itertext() if isinstance(t, str))
    return raw or ""


def text(el: etree._Element) -> str:
    """``el``'s text (its children's too), whitespace runs made one space."""
    return " ".join(_raw(el).split())


def prose(el: etree._Element) -> str:
    """``el``'s text with its paragraphs: each squashed as :func:`text` squashes, joined by
    ``"\\n\\n"`` (a single line break, as in hard-wrapped or indented XML, is a space)."""
    paragraphs = (" ".join(p.split()) for p in _PARAGRAPH_BREAK.split(_raw(el)))
    return "\n\n".join(p for p in paragraphs if p)


def isbd(value: str) -> str:
    """``value`` without the trailing ISBD punctuation cataloguers leave (``Leiden :``)."""
    return value.rstrip(_ISBD_TAIL).strip()

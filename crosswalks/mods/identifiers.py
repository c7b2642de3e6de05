"""A ``mods:identifier`` read into RLI: typed ones made bare, untyped ones typed by shape."""

from __future__ import annotations

import re

from lxml import etree

from crosswalks.dc.strings import classify_identifier, write_identifier
from crosswalks.mods.text import isbd, text
from crosswalks.mods.vocab import IDENTIFIER_TYPES
from crosswalks.rli import IdentifierType, StandardIdentifier

# Where a MARC-style qualifier starts: "9780199644704 (pbk.)", "0198245203 : £25.00".
QUALIFIER = re.compile(r"\(|\s:")


def _bare(kind: IdentifierType, value: str) -> str:
    """``value`` without the prefix, resolver or MARC qualifier (``(pbk.)``, ``: £25.00``)
    around an identifier of ``kind``; as given when it does not have that shape."""
    for candidate in (value, isbd(QUALIFIER.split(value, maxsplit=1)[0])):
        # the declared type's own prefix lets a bare ISSN or LCCN be recognised
        for form in (candidate, write_identifier(StandardIdentifier(kind, candidate))):
            found = classify_identifier(form).identifier
            if found is not None and found.type is kind:
                return found.value
    return value


def read_identifier(el: etree._Element, losses: list[str]) -> StandardIdentifier | None:
    """A typed mods:identifier, made bare; untyped ones are typed by shape, unknown types
    become "other"."""
    value = text(el)
    if not value or el.get("invalid") == "yes":
        return None
    kind = (el.get("type") or "").lower()
    if kind in IDENTIFIER_TYPES:
        return StandardIdentifier(IDENTIFIER_TYPES[kind], _bare(IDENTIFIER_TYPES[kind], value))
    if not kind:
        typed = classify_identifier(value)
        if typed.identifier is not None:
            return typed.identifier
        kind_of = IdentifierType.URI if typed.location else IdentifierType.OTHER
        return StandardIdentifier(kind_of, value)
    losses.append(f"identifier type {kind!r} read as other")
    return StandardIdentifier(IdentifierType.OTHER, value)

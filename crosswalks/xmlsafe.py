"""Safe XML in and clean XML out: the one place untrusted bytes become an lxml tree.

Parsing: no entity resolution, no DTD loading, no network, no huge-tree mode,
so billion-laughs and XXE documents fail instead of expanding or fetching.
Writing: text bound for XML passes through :func:`clean_text`, which drops
the characters XML 1.0 cannot carry, so output is always well-formed.

Exception tree::

    XMLInputError      the bytes are not acceptable XML (message names line and reason)
"""

from __future__ import annotations

import re
from collections.abc import Callable

from lxml import etree

MAX_INPUT_BYTES = 20 * 1024 * 1024

# XML 1.0 Char production, complemented.
_ILLEGAL_XML = re.compile("[^\u0009\u000a\u000d\u0020-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
# The C0 control bytes XML 1.0 forbids (tab, newline and carriage return are allowed).
_ILLEGAL_XML_BYTES = bytes(range(0x00, 0x09)) + b"\x0b\x0c" + bytes(range(0x0E, 0x20))
# A character reference to one of them, a surrogate, U+FFFE or U+FFFF (decimal, then hex).
_ILLEGAL_REFERENCE_TEXT = (
    "&#(?:0*(?:[0-8]|1[124-9]|2[0-9]|3[01]|5529[6-9]|55[3-9][0-9]{2}|56[0-9]{3}"
    "|57[0-2][0-9]{2}|573[0-3][0-9]|5734[0-3]|6553[45])"
    "|x0*(?:[0-8bcefBCEF]|1[0-9a-fA-F]|[dD][89a-fA-F][0-9a-fA-F]{2}|[fF]{3}[eEfF]));"
)
_ILLEGAL_REFERENCE = re.compile(_ILLEGAL_REFERENCE_TEXT)
_ILLEGAL_REFERENCE_BYTES = re.compile(_ILLEGAL_REFERENCE_TEXT.encode("ascii"))
# How a UTF-32 or UTF-16 document starts: its byte order mark, or "<?" without one.
_BOMS = (b"\x00\x00\xfe\xff", b"\xff\xfe\x00\x00", b"\xfe\xff", b"\xff\xfe", b"\xef\xbb\xbf")
_WIDE_STARTS = (
    (b"\x00\x00\xfe\xff", "utf-32-be"), (b"\xff\xfe\x00\x00", "utf-32-le"),
    (b"\xfe\xff", "utf-16-be"), (b"\xff\xfe", "utf-16-le"),
    (b"<\x00\x00\x00", "utf-32-le"), (b"\x00\x00\x00<", "utf-32-be"),
    (b"<\x00?\x00", "utf-16-le"), (b"\x00<\x00?", "utf-16-be"),
)
_DECLARED_ENCODING = re.compile(rb"<\?xml[^>]*?\sencoding\s*=")


class XMLInputError(ValueError):
    """Untrusted XML was refused; the message says where and why."""


def _parser() -> etree.XMLParser:
    return etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        dtd_validation=False,
        huge_tree=False,
        remove_blank_text=False,
    )


def parse_untrusted(data: bytes, *, source: str = "input") -> etree._Element:
    """Parse untrusted XML bytes strictly and return the root element.

    Raises :class:`XMLInputError` for oversize input, a DOCTYPE with entity
    declarations, or anything that is not well-formed. Entities are judged
    from the parser's own view of the document (its internal DTD subset),
    wherever in the bytes they were declared.
    """
    if len(data) > MAX_INPUT_BYTES:
        raise XMLInputError(f"{source}: larger than {MAX_INPUT_BYTES // (1024 * 1024)} MB")
    try:
        root = etree.fromstring(data, _parser())
    except etree.XMLSyntaxError as exc:
        line = exc.lineno if exc.lineno is not None else "?"
        msg = exc.msg if hasattr(exc, "msg") and exc.msg else str(exc)
        raise XMLInputError(f"{source}: line {line}: {msg}") from exc
    if root is None:
        raise XMLInputError(f"{source}: empty document")
    dtd = root.getroottree().docinfo.internalDTD
    if dtd is not None and next(dtd.iterentities(), None) is not None:  # type: ignore[union-attr]
        raise XMLInputError(f"{source}: DTDs with entity declarations are not accepted")
    for node in root.iter(etree.Entity):
        raise XMLInputError(f"{source}: line {node.sourceline}: entity references are not accepted")
    return root


def strip_illegal_bytes(data: bytes) -> tuple[bytes, int]:
    """Remove C0 control bytes XML 1.0 forbids; return the cleaned bytes and how many went.

    Only for an ASCII-compatible encoding (UTF-8, ISO-8859-x...): :func:`strip_illegal`
    looks at the encoding first."""
    cleaned = data.translate(None, _ILLEGAL_XML_BYTES)  # a C loop: 5x a regex on a page
    return cleaned, len(data) - len(cleaned)


def _wide(data: bytes) -> tuple[str, int] | None:
    """(codec, BOM length) of a UTF-16 or UTF-32 document, by its first bytes; else None."""
    for start, codec in _WIDE_STARTS:
        if data.startswith(start):
            return codec, len(start) if start in _BOMS else 0
    return None


def _recoded(data: bytes, wide: tuple[str, int], clean: Callable[[str], tuple[str, int]],
             ) -> tuple[bytes, int]:
    codec, bom = wide
    try:
        text = data[bom:].decode(codec)
    except UnicodeDecodeError:
        return data, 0  # the parser says where it is broken
    cleaned, count = clean(text)
    return (data[:bom] + cleaned.encode(codec), count) if count else (data, 0)


def strip_illegal(data: bytes) -> tuple[bytes, int]:
    """:func:`strip_illegal_bytes` for a document in any encoding XML parsers must read: a
    UTF-16 or UTF-32 one (whose every other byte may be 0) is decoded, cleaned and encoded
    back. Returns the bytes and how many characters went."""
    wide = _wide(data)
    if wide is None:
        return strip_illegal_bytes(data)
    return _recoded(data, wide, lambda text: _ILLEGAL_XML.subn("", text))


def strip_illegal_references(data: bytes) -> tuple[bytes, int]:
    """Remove character references to characters XML 1.0 forbids (``&#x1F;``, ``&#11;``,
    ``&#xD800;``: what Java and XSLT providers write for a control character in their
    data), which make the whole document unreadable; returns the bytes and how many went.

    Meant for a document the parser refused: the same text inside a CDATA section or a
    comment is not a reference, and would go too."""
    wide = _wide(data)
    if wide is None:
        return _ILLEGAL_REFERENCE_BYTES.subn(b"", data)
    return _recoded(data, wide, lambda text: _ILLEGAL_REFERENCE.subn("", text))


def recode_by_charset(data: bytes, charset: str | None) -> bytes:
    """``data`` re-encoded as UTF-8 when only ``charset`` (an HTTP header's) can say how it
    is encoded: no byte order mark, no encoding in its XML declaration, not UTF-16 or
    UTF-32 by its first bytes, and not valid UTF-8 (which OAI-PMH requires: a server's
    default charset is more often wrong than a document that is UTF-8 or says what it
    is). Bytes that do not decode in ``charset`` are left for the parser to refuse."""
    if (not charset or data.startswith(_BOMS) or _wide(data) is not None
            or _DECLARED_ENCODING.match(data)):
        return data
    try:
        data.decode("utf-8")
        return data
    except UnicodeDecodeError:
        pass
    try:
        return data.decode(charset).encode("utf-8")
    except (LookupError, UnicodeError):
        return data


def clean_text(value: str) -> str:
    """``value`` without the characters XML 1.0 cannot carry (control chars, lone surrogates)."""
    if _ILLEGAL_XML.search(value) is None:
        return value
    return _ILLEGAL_XML.sub("", value)

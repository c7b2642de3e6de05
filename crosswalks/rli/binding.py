"""The RLI XML binding: resource lists and resources to and from canonical RLI XML.

IMS RLI v1.0 elements (``rli:``, with ``rlx:LangString`` wrappers) carry what
public RLI instances show; the project extension ``rlix:`` (namespace
``urn:x-rli:extension:1.0``) carries the rest of the model. The binding and
its schema are documented in ``data/schemas/rli/README.md``; the writer is
:mod:`crosswalks.rli.write`, the reader (with its table of what a valid
document can hold that the model cannot) :mod:`crosswalks.rli.read`.

Every field of the model round trips: ``read_list(write_list(x)) == clean(x)``,
where :func:`clean` strips the characters XML 1.0 cannot carry (an Extension
reads back in exclusive C14N form, which is how the reader makes them). The same value
always gives the same bytes (UTF-8, XML declaration, fixed prefixes declared on
the root, fixed order, two-space indent, no empty optional elements).

Exception tree::

    RLIFormatError(ValueError)   "<source>: line N: reason": not XML, entity tricks,
                                 wrong root or namespace, XSD failure, a value the model
                                 cannot hold; on writing, an Extension that is not a
                                 foreign XML element
"""

from __future__ import annotations

import hashlib
from typing import cast

from lxml import etree

from crosswalks.rli.model import Resource, ResourceList, iter_resources
from crosswalks.rli.read import Reader
from crosswalks.rli.write import (
    RLI_NS,
    RLIX_NS,
    RLX_NS,
    RLIFormatError,
    clean_value,
    list_to_element,
    resource_to_element,
    to_bytes,
)
from crosswalks.validation import SchemaValidationError, validate
from crosswalks.xmlsafe import XMLInputError, parse_untrusted

__all__ = [
    "RLIX_NS",
    "RLI_NS",
    "RLX_NS",
    "RLIFormatError",
    "canonical_sha256",
    "clean",
    "clean_and_write",
    "element_to_list",
    "element_to_resource",
    "list_to_element",
    "read_list",
    "read_resource",
    "resource_to_element",
    "write_clean_list",
    "write_list",
    "write_resource",
]


def element_to_list(el: etree._Element, *, source: str = "input") -> ResourceList:
    """The list an ``rli:resourceList`` element holds (not XSD-validated here).

    Raises RLIFormatError for another root or a value the model cannot hold.
    """
    return Reader(source).resource_list(el)


def element_to_resource(el: etree._Element, *, source: str = "input") -> Resource:
    """The resource an ``rli:resource`` element holds (not XSD-validated here).

    Raises RLIFormatError for another element or a value the model cannot hold.
    """
    return Reader(source).resource(el)


def write_list(lst: ResourceList) -> bytes:
    """Canonical RLI XML document for ``lst``; raises RLIFormatError for a bad Extension."""
    return _write(lst, cleaned=False)


def write_clean_list(lst: ResourceList) -> bytes:
    """:func:`write_list` of a value :func:`clean` gave back (skips cleaning it again)."""
    return _write(lst, cleaned=True)


def clean_and_write(lst: ResourceList) -> tuple[ResourceList, bytes]:
    """``(clean(lst), write_clean_list(clean(lst)))``, without the cleaning walk when nothing
    needs cleaning (the common case).

    lxml refuses exactly the characters :func:`clean` strips (every character was
    tried) and the writer writes every non-empty string of the model, so a write of
    ``lst`` as it is that succeeds proves ``clean(lst) is lst``; one that fails
    (ValueError) is made again from the cleaned value. Raises RLIFormatError for a
    bad Extension.
    """
    try:
        return lst, _write(lst, cleaned=True)
    except ValueError:
        cleaned = clean(lst)
        return cleaned, _write(cleaned, cleaned=True)


def _write(lst: ResourceList, *, cleaned: bool) -> bytes:
    foreign = bool(lst.extensions) or any(res.extensions for _, res in iter_resources(lst.items))
    return to_bytes(list_to_element(lst, cleaned=cleaned), foreign=foreign)


def write_resource(res: Resource) -> bytes:
    """Canonical RLI XML document with root ``rli:resource``."""
    return to_bytes(resource_to_element(res), foreign=bool(res.extensions))


def canonical_sha256(lst: ResourceList) -> str:
    """Hex sha256 of :func:`write_list` ``(lst)``."""
    return hashlib.sha256(write_list(lst)).hexdigest()


def read_list(data: bytes, *, source: str = "input") -> ResourceList:
    """Parse (safely), XSD-validate and convert an RLI document with root ``rli:resourceList``.

    Raises RLIFormatError naming ``source`` and a line.
    """
    root = _parse(data, source, "resourceList")
    return element_to_list(root, source=source)


def read_resource(data: bytes, *, source: str = "input") -> Resource:
    """Parse (safely), XSD-validate and convert an RLI document with root ``rli:resource``.

    Raises RLIFormatError naming ``source`` and a line.
    """
    root = _parse(data, source, "resource")
    return element_to_resource(root, source=source)


def clean(lst: ResourceList) -> ResourceList:
    """``lst`` with every string passed through :func:`crosswalks.xmlsafe.clean_text`.

    This is the value :func:`read_list` gives back for ``write_list(lst)``.
    """
    return cast(ResourceList, clean_value(lst))


def _parse(data: bytes, source: str, root_name: str) -> etree._Element:
    try:
        root = parse_untrusted(data, source=source)
    except XMLInputError as exc:
        raise RLIFormatError(_with_line(str(exc), data, source)) from exc
    expected = f"{{{RLI_NS}}}{root_name}"
    if root.tag != expected:
        raise RLIFormatError(
            f"{source}: line {root.sourceline}: root is {root.tag}, expected {expected}"
        )
    try:
        validate(root, "rli")
    except SchemaValidationError as exc:
        raise RLIFormatError(f"{source}: {exc}") from exc
    return root


def _with_line(message: str, data: bytes, source: str) -> str:
    """``message`` in the ``"<source>: line N: reason"`` form, placing DTD refusals at the DTD."""
    reason = message.removeprefix(f"{source}: ")
    if reason.startswith("line "):
        return f"{source}: {reason}"
    at = min((i for i in (data.find(b"<!DOCTYPE"), data.find(b"<!ENTITY")) if i >= 0), default=0)
    line = data[:at].count(b"\n") + 1
    return f"{source}: line {line}: {reason}"

"""Offline XSD validation against the schemas bundled in ``data/schemas``.

``schema(name)`` returns a compiled :class:`lxml.etree.XMLSchema` for one of
the names in :data:`SCHEMA_FILES`; ``"oai-pmh"`` is a combined schema that
imports the OAI-PMH envelope and every payload schema rli speaks, so a whole
response (envelope and metadata) validates in one pass. Nothing is fetched:
every import resolves to a file under ``data/schemas`` (installed with rli,
see :mod:`crosswalks.bundled`; ``RLI_SCHEMA_DIR`` names another folder).

Exception tree::

    SchemaValidationError    a document does not satisfy its schema (first error, with line)
"""

from __future__ import annotations

import os
from functools import cache
from pathlib import Path

from lxml import etree

from crosswalks.bundled import bundled

SCHEMA_FILES: dict[str, str] = {
    "oai_dc": "oai/oai_dc.xsd",
    "provenance": "oai/provenance.xsd",
    "oai-identifier": "oai/oai-identifier.xsd",
    "mods": "mods/mods-3-8.xsd",
    "mods-3-7": "mods/mods-3-7.xsd",
    "lom": "lom/lomLoose.xsd",
    "imscp": "imscp/imscp_v1p1.xsd",
    "rli": "rli/rli.xsd",
}

# Namespace -> schema file, imported together under the OAI-PMH envelope.
_ENVELOPE_IMPORTS: dict[str, str] = {
    "http://www.openarchives.org/OAI/2.0/": "oai/OAI-PMH.xsd",
    "http://www.openarchives.org/OAI/2.0/oai_dc/": "oai/oai_dc.xsd",
    "http://www.openarchives.org/OAI/2.0/provenance": "oai/provenance.xsd",
    "http://www.openarchives.org/OAI/2.0/oai-identifier": "oai/oai-identifier.xsd",
    "http://www.loc.gov/mods/v3": "mods/mods-3-8.xsd",
    "http://ltsc.ieee.org/xsd/LOM": "lom/lomLoose.xsd",
    "http://www.imsglobal.org/services/rli/xsd/imsRLIManDataSchema_v1p0": "rli/rli.xsd",
}

_XSD_NS = "http://www.w3.org/2001/XMLSchema"


class SchemaValidationError(ValueError):
    """A document failed XSD validation; the message gives the first error and its line."""


def schema_dir() -> Path:
    """The folder of XSDs: ``RLI_SCHEMA_DIR`` if set, else the bundled ``data/schemas``."""
    return Path(os.environ.get("RLI_SCHEMA_DIR") or bundled("schemas"))


def _parser() -> etree.XMLParser:
    return etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)


def _envelope_schema() -> etree.XMLSchema:
    root = etree.Element(f"{{{_XSD_NS}}}schema", nsmap={"xs": _XSD_NS})
    for namespace, rel in _ENVELOPE_IMPORTS.items():
        path = schema_dir() / rel
        if path.exists():
            etree.SubElement(
                root,
                f"{{{_XSD_NS}}}import",
                namespace=namespace,
                schemaLocation=path.as_uri(),
            )
    doc = etree.ElementTree(root)
    return etree.XMLSchema(doc)


@cache
def schema(name: str) -> etree.XMLSchema:
    """The compiled schema called ``name`` (a key of SCHEMA_FILES, or ``"oai-pmh"``).

    Raises KeyError for an unknown name.
    """
    if name == "oai-pmh":
        return _envelope_schema()
    path = schema_dir() / SCHEMA_FILES[name]
    return etree.XMLSchema(etree.parse(str(path), _parser()))


def validate(doc: etree._Element | etree._ElementTree | bytes, name: str) -> None:
    """Validate ``doc`` against schema ``name``; raise SchemaValidationError if it fails."""
    if isinstance(doc, bytes):
        doc = etree.fromstring(doc, _parser())
    xsd = schema(name)
    if not xsd.validate(doc):
        errors = list(xsd.error_log)  # type: ignore[call-overload]
        err = errors[0] if errors else None
        raise SchemaValidationError(f"line {err.line}: {err.message}" if err else "invalid")


def is_valid(doc: etree._Element | bytes, name: str) -> bool:
    """True if ``doc`` satisfies schema ``name``."""
    try:
        validate(doc, name)
    except SchemaValidationError:
        return False
    return True

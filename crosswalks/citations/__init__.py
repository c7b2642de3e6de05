"""Citation exports of RLI resources: RIS, BibTeX and CSL-JSON on one shared field extraction.

=========  ==================================================================
module     one idea
=========  ==================================================================
fields     CitationFields: a resource flattened once (container, authors,
           editors, identifiers, pages); the type table and what is lost
ris        RIS (RefMan / EndNote tagged format)
bibtex     BibTeX, unique citation keys
csl_json   CSL-JSON, the input of citeproc processors
=========  ==================================================================

Writes only; nothing is read back. The writers import ``fields``; this
package imports the writers, so there is no circle.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from crosswalks.citations import bibtex, csl_json, ris
from crosswalks.citations.fields import CitationFields, fields_of
from crosswalks.rli import Item, Resource, iter_resources

__all__ = ["CitationFields", "cited", "fields_of", "to_bibtex", "to_csl_json", "to_ris"]


def cited(items: tuple[Item, ...]) -> list[Resource]:
    """The resources of a list's ``items``, in order, each with its item's notes (what
    ``rli annotate LIST --item`` and the pages add: the list's note on that resource)."""
    return [replace(res, annotations=(*res.annotations, *item.annotations))
            if item.annotations else res for item, res in iter_resources(items)]


def to_ris(resources: Sequence[Resource]) -> str:
    """RIS records, one per resource (see :mod:`crosswalks.citations.ris`)."""
    return ris.to_ris(resources)


def to_bibtex(resources: Sequence[Resource]) -> str:
    """BibTeX entries, one per resource, unique keys (see :mod:`crosswalks.citations.bibtex`)."""
    return bibtex.to_bibtex(resources)


def to_csl_json(resources: Sequence[Resource]) -> str:
    """A JSON array of CSL items (see :mod:`crosswalks.citations.csl_json`)."""
    return csl_json.to_csl_json(resources)

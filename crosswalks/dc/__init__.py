"""Unqualified Dublin Core (``oai_dc``) <-> RLI, both directions.

=========  ==================================================================
module     one idea
=========  ==================================================================
read       oai_dc records -> RLI resources (what is lost either way: its docstring)
write      RLI resources and lists -> oai_dc records
strings    bibliographic strings: identifiers typed by shape, one-line citations
           (shared with the MODS and LOM readers)
names      namespaces, root and type labels both halves use
=========  ==================================================================

Reads ``oai_dc:dc`` records into resources (a Collection into a list); writes
resources and lists as ``oai_dc:dc``.
"""

from crosswalks.dc.read import read_resource
from crosswalks.dc.write import citation_line, format_source, write_list, write_resource

__all__ = ["citation_line", "format_source", "read_resource", "write_list", "write_resource"]

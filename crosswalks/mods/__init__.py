"""MODS 3.x <-> RLI, both directions.

=========  ==================================================================
module     one idea
=========  ==================================================================
format     the registry's entry: records and collections <-> resources and lists
read       one MODS record -> a draft resource, one pass, dispatched by a table
draft      what that pass finds (the Draft), and MODS local names
write      RLI -> MODS 3.8 (a list as a record with constituent relatedItems)
vocab      relator codes and words, identifier types, rli's own markers
=========  ==================================================================

Reads ``mods:mods`` records and ``mods:modsCollection``; writes MODS 3.8.
"""

from crosswalks.mods.format import (
    MODS_NS,
    holds_list,
    read_list,
    read_resource,
    write_list,
    write_resource,
)

__all__ = ["MODS_NS", "holds_list", "read_list", "read_resource", "write_list", "write_resource"]

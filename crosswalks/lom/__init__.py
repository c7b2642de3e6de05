"""IEEE LOM (and IMS MD 1.2 style) <-> RLI, both directions.

=========  ==================================================================
module     one idea
=========  ==================================================================
format     the registry's entry: learning objects <-> resources, aggregations <-> lists
read       LOM -> RLI
write      RLI -> LOM, valid against lomLoose
values     LOM datatypes across bindings: LangString, vocabulary, vCard, DateTime
=========  ==================================================================
"""

from crosswalks.lom.format import (
    IMSMD_NS,
    LOM_NS,
    holds_list,
    read_list,
    read_resource,
    write_list,
    write_resource,
)

__all__ = [
    "IMSMD_NS",
    "LOM_NS",
    "holds_list",
    "read_list",
    "read_resource",
    "write_list",
    "write_resource",
]

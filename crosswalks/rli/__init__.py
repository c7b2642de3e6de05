"""The RLI model and its XML binding: resource lists and resources as frozen values.

=========  ==================================================================
module     one idea
=========  ==================================================================
model      the values: ResourceList, Item, Section, Resource, Citation, ...
write      model -> RLI XML elements, the binding's vocabulary (namespaces)
read       RLI XML elements -> model
binding    whole documents: read_list / write_list, canonical bytes, sha256
public     RLI as others write it (resources directly in the list), read leniently
format     the ``rli`` metadata format through the registry's contract
=========  ==================================================================

Reads and writes IMS RLI XML (``imsRLIManDataSchema_v1p0`` with rli's extension
namespace); nothing is lost either way. The rest of the project imports the
model's values from here and the binding as ``crosswalks.rli.binding``.
"""

from crosswalks.rli.model import (
    Annotation,
    Citation,
    Converted,
    Creator,
    CreatorRole,
    Extension,
    IdentifierType,
    Item,
    Location,
    LocationType,
    Origin,
    RelatedTitle,
    RelatedTitleType,
    Resource,
    ResourceList,
    ResourceType,
    Section,
    StandardIdentifier,
    VersionInfo,
    authors_first,
    count_resources,
    iter_resources,
)

__all__ = [
    "Annotation",
    "Citation",
    "Converted",
    "Creator",
    "CreatorRole",
    "Extension",
    "IdentifierType",
    "Item",
    "Location",
    "Origin",
    "LocationType",
    "RelatedTitle",
    "RelatedTitleType",
    "Resource",
    "ResourceList",
    "ResourceType",
    "Section",
    "StandardIdentifier",
    "VersionInfo",
    "authors_first",
    "count_resources",
    "iter_resources",
]

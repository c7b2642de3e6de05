"""MODS 3.x <-> RLI, both directions (reader in ``mods_read``, writer in ``mods_write``).

``read_resource(el)`` takes a ``mods:mods``; ``read_list(el)`` a ``mods:mods``
whose items are ``relatedItem type="constituent"`` (sections are constituents
holding constituents) or a ``mods:modsCollection``. Both raise CrosswalkError
for any other root and never fail on odd content. Writers produce MODS 3.8
that also validates as 3.7.

What MODS cannot carry, or carries only roughly:

================================  ==========================================
Field                             Fate
================================  ==========================================
name parts                        family/given joined "Family, Given"; dates,
                                  termsOfAddress, affiliation dropped
roles outside the RLI set         read as contributor (recorded)
titleInfo type=abbreviated etc.   used only when no main title; else dropped
originInfo dates                  one date: keyDate, else encoded, else range
                                  start; ranges and dateOther lost
place codes (marccountry)         dropped; text placeTerm kept
subject other than topic          geographic/temporal/name dropped (recorded)
classification, tableOfContents,  dropped (recorded)
physicalDescription/extent, form
identifier types beyond           citekey/local ... read as "other" (type lost)
isbn/issn/doi/uri/lccn/oclc
location/physicalLocation         holding institution: label of a shelfmark,
                                  or the shelfmark itself when alone
relatedItem host                  journal (serial issuance or periodical
                                  genre) or host book; its part -> volume,
                                  issue, pages of the citation; host
                                  publisher/place fill a chapter's
relatedItem other than            dropped (recorded)
host/series/constituent
note                              annotation (kind = note type); annotation
                                  author/date lost on writing
recordInfo                        only recordIdentifier (-> identifier) kept
list owner                        name with role code "own"
list courses                      subject/topic of the list record
item ids                          identifier type="rliItem"
item annotations                  note type="rliItem:<kind>"
list created / modified           originInfo dateCreated / dateModified
================================  ==========================================
"""

from __future__ import annotations

from crosswalks.mods_read import MODS_NS, holds_list, read_list, read_resource
from crosswalks.mods_write import write_list, write_resource

__all__ = ["MODS_NS", "holds_list", "read_list", "read_resource", "write_list", "write_resource"]

"""MODS vocabulary as tables: relator codes and words, identifier types, rli's own markers.

Both directions of the MODS crosswalk read these tables; the writer inverts
them (first entry wins), so a role or identifier type written is read back as
itself.
"""

from __future__ import annotations

from crosswalks.rli import CreatorRole, IdentifierType

MODS_NS = "http://www.loc.gov/mods/v3"
ITEM_ID_TYPE = "rliItem"
ITEM_NOTE_PREFIX = "rliItem:"
SECTION_GENRE = "section"
LIST_GENRE = "bibliography"  # marcgt: a list is a bibliography with an owner
OWNER_CODE = "own"  # MARC relator: the list owner
SERIAL_ISSUANCE = frozenset({"continuing", "serial", "integrating resource"})

ROLE_CODES: dict[str, CreatorRole] = {
    "aut": CreatorRole.AUTHOR,
    "cre": CreatorRole.AUTHOR,
    "edt": CreatorRole.EDITOR,
    "trl": CreatorRole.TRANSLATOR,
    "ill": CreatorRole.ILLUSTRATOR,
    "drt": CreatorRole.DIRECTOR,
    "prf": CreatorRole.PERFORMER,
    "act": CreatorRole.PERFORMER,
    "pro": CreatorRole.PRODUCER,
    "com": CreatorRole.COMPILER,
    "ctb": CreatorRole.CONTRIBUTOR,
}
ROLE_TEXTS: dict[str, CreatorRole] = {
    "author": CreatorRole.AUTHOR,
    "creator": CreatorRole.AUTHOR,
    "editor": CreatorRole.EDITOR,
    "academic editor": CreatorRole.EDITOR,
    "translator": CreatorRole.TRANSLATOR,
    "illustrator": CreatorRole.ILLUSTRATOR,
    "director": CreatorRole.DIRECTOR,
    "film director": CreatorRole.DIRECTOR,
    "performer": CreatorRole.PERFORMER,
    "actor": CreatorRole.PERFORMER,
    "producer": CreatorRole.PRODUCER,
    "compiler": CreatorRole.COMPILER,
    "contributor": CreatorRole.CONTRIBUTOR,
}
# Roles of people who are named in a record but did not make the work: dropped (recorded).
NOT_CREATORS: dict[str, str] = {
    "rcp": "addressee",
    "addressee": "addressee",
    "recipient": "addressee",
    "dpt": "depositor",
    "depositor": "depositor",
    "fnd": "funder",
    "funder": "funder",
    "dst": "distributor",
    "distributor": "distributor",
    "his": "host institution",
    "host institution": "host institution",
}
# The ISO 639-2/T codes of the twenty languages whose bibliographic (/B) code differs
# (fra, not fre): not /B, and ISO 639-3 took them, so the writer labels them iso639-3.
ISO639_2_T_ONLY = frozenset({
    "sqi", "hye", "eus", "mya", "zho", "ces", "nld", "fra", "kat", "deu",
    "ell", "isl", "mkd", "mri", "msa", "fas", "ron", "slk", "bod", "cym",
})
IDENTIFIER_TYPES: dict[str, IdentifierType] = {
    "isbn": IdentifierType.ISBN,
    "issn": IdentifierType.ISSN,
    "doi": IdentifierType.DOI,
    "uri": IdentifierType.URI,
    "lccn": IdentifierType.LCCN,
    "oclc": IdentifierType.OCLC,
}

# Elements the reader dispatches on (Clark-name lookups are built from these).
KNOWN_NAMES = (
    "mods", "modsCollection", "titleInfo", "nonSort", "title", "subTitle", "partNumber",
    "partName", "name", "namePart", "displayForm", "role", "roleTerm", "typeOfResource", "genre",
    "originInfo", "place", "placeTerm", "publisher", "agent", "dateIssued", "dateCreated",
    "dateOther", "copyrightDate", "dateModified", "edition", "issuance", "language",
    "languageTerm", "physicalDescription", "internetMediaType", "abstract", "note", "subject",
    "topic", "accessCondition", "identifier", "location", "url", "physicalLocation",
    "shelfLocator", "relatedItem", "part", "detail", "number", "caption", "extent", "start",
    "end", "list", "extension", "recordInfo", "recordIdentifier",
)

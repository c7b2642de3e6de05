"""The names oai_dc's reader and writer share: namespaces, the root, the type labels.

A module of its own so that the writer imports nothing of the reader: a saved
oai_dc payload depends on the writer's modules only
(:func:`repository.archive.renderings.code_stamp`).
"""

from __future__ import annotations

from crosswalks.rli import ResourceType

OAI_DC_NS = "http://www.openarchives.org/OAI/2.0/oai_dc/"
DC_NS = "http://purl.org/dc/elements/1.1/"
XSI_NS = "http://www.w3.org/2001/XMLSchema-instance"
OAI_DC_SCHEMA = "http://www.openarchives.org/OAI/2.0/oai_dc.xsd"
DC = f"{{{DC_NS}}}"
ROOT = f"{{{OAI_DC_NS}}}dc"
NSMAP = {"oai_dc": OAI_DC_NS, "dc": DC_NS, "xsi": XSI_NS}

TYPE_LABELS: dict[ResourceType, str] = {
    ResourceType.BOOK: "Book",
    ResourceType.BOOK_CHAPTER: "Book chapter",
    ResourceType.JOURNAL_ARTICLE: "Journal article",
    ResourceType.JOURNAL: "Journal",
    ResourceType.WEB_PAGE: "Web page",
    ResourceType.AUDIO_VISUAL: "MovingImage",
    ResourceType.LOCAL: "Local material",
    # Written so that an ISBN or a journal does not make a reader infer a book or article.
    ResourceType.OTHER: "Other",
}

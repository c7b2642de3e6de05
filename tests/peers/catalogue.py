"""A small library catalogue as oai_dc records, for search tests: real-looking books and articles.

``CATALOGUE`` maps each record's identifier to its Dublin Core fields;
:func:`catalogue_dc` is a CatalogPeer ``metadata`` function that writes them.
"""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

from lxml import etree

from harvester.shared.protocol import DC_NS, OAI_DC_NS, XSI_NS
from tests.peers.oai import Rec

T0 = datetime(2026, 3, 1, 12, 0, 0, tzinfo=timezone.utc)

# identifier -> (title, creators, date, type, subjects, identifiers)
CATALOGUE: dict[str, tuple[str, tuple[str, ...], str, str, tuple[str, ...], tuple[str, ...]]] = {
    "oai:lib:1": ("Jane Eyre", ("Brontë, Charlotte",), "1847", "Book",
                  ("English fiction",), ("ISBN 978-0-14-144114-6",)),
    "oai:lib:2": ("Wuthering Heights", ("Brontë, Emily",), "1847", "Book",
                  ("English fiction",), ()),
    "oai:lib:3": ("The Making of the English Working Class", ("Thompson, E. P.",), "1963",
                  "Book", ("Social history", "Labour history"), ()),
    "oai:lib:4": ("Gender: A Useful Category of Historical Analysis", ("Scott, Joan W.",),
                  "1986", "Journal article", ("Historiography",), ()),
    "oai:lib:5": ("Historians and the Industrial Revolution", ("Hartwell, R. M.",), "1963",
                  "Journal article", ("Economic history",), ()),
    "oai:lib:6": ("The Condition of the Working Class in England", ("Engels, Friedrich",),
                  "1845", "Book", ("Social conditions",), ()),
}


def catalogue_recs(sets: tuple[str, ...] = ("reserves",)) -> list[Rec]:
    return [
        Rec(ident, T0 - timedelta(hours=len(CATALOGUE) - n), CATALOGUE[ident][0], sets)
        for n, ident in enumerate(CATALOGUE)
    ]


def catalogue_dc(rec: Rec) -> etree._Element:
    """The record's Dublin Core, from CATALOGUE (the Rec's title wins, so tests can change it)."""
    _, creators, date, kind, subjects, identifiers = CATALOGUE[rec.identifier]
    dc = etree.Element(
        f"{{{OAI_DC_NS}}}dc", nsmap={"oai_dc": OAI_DC_NS, "dc": DC_NS, "xsi": XSI_NS}
    )
    dc.set(f"{{{XSI_NS}}}schemaLocation",
           f"{OAI_DC_NS} http://www.openarchives.org/OAI/2.0/oai_dc.xsd")
    fields = [("title", rec.title), *(("creator", c) for c in creators), ("date", date),
              ("type", kind), *(("subject", s) for s in subjects),
              *(("identifier", i) for i in identifiers)]
    for name, value in fields:
        etree.SubElement(dc, f"{{{DC_NS}}}{name}").text = value
    return dc

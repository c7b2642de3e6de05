"""OAI provenance originDescription for harvested records (harvester/provenance.py)."""

from __future__ import annotations

import pytest
from lxml import etree

from crosswalks.validation import validate
from crosswalks.xmlsafe import parse_untrusted
from harvester.provenance import earlier_hop, origin_bytes, origin_description
from harvester.shared.protocol import PROVENANCE_NS
from tests import paths

P = f"{{{PROVENANCE_NS}}}"
EXAMPLE = paths.SAMPLES / "oai" / "provenance-guidelines-example.xml"


def wrapped(el: etree._Element) -> etree._Element:
    root = etree.Element(f"{P}provenance", nsmap={None: PROVENANCE_NS})
    root.append(el)
    return root


def make(about: tuple[etree._Element, ...] = (), altered: bool = False,
         datestamp: str = "2026-03-01T12:00:00Z") -> etree._Element:
    return origin_description(
        base_url="http://127.0.0.1:8080/oai",
        identifier="oai:peer:list-1",
        datestamp=datestamp,
        metadata_namespace="http://www.imsglobal.org/services/rli/xsd/imsRLIManDataSchema_v1p0",
        harvest_date="2026-03-02T08:00:00Z",
        altered=altered,
        about=about,
    )


def test_one_hop_is_valid_and_carries_every_field() -> None:
    el = make()
    validate(wrapped(el), "provenance")
    assert [etree.QName(c).localname for c in el] == [
        "baseURL", "identifier", "datestamp", "metadataNamespace"]
    assert el.findtext(f"{P}identifier") == "oai:peer:list-1"
    assert (el.get("harvestDate"), el.get("altered")) == ("2026-03-02T08:00:00Z", "false")
    assert make(altered=True).get("altered") == "true"


def test_a_records_own_provenance_is_nested_as_one_more_hop() -> None:
    example = parse_untrusted(EXAMPLE.read_bytes())
    el = make(about=(example,))
    validate(wrapped(el), "provenance")
    hops = [d.findtext(f"{P}baseURL") for d in el.iter(f"{P}originDescription")]
    assert hops == ["http://127.0.0.1:8080/oai", "http://the.oa.org", "http://some.oa.org"]
    assert earlier_hop((example,)) is not None
    assert earlier_hop((etree.Element("other"),)) is None


def test_bytes_round_trip() -> None:
    el = make()
    again = parse_untrusted(origin_bytes(el))
    assert again.tag == f"{P}originDescription"
    assert again.findtext(f"{P}datestamp") == "2026-03-01T12:00:00Z"


@pytest.mark.parametrize(("sent", "written"), [
    ("20210311", "2021-03-11"),  # Harvard's LibraryCloud
    ("2021-03-11T10:00:00.250Z", "2021-03-11T10:00:00Z"),
    ("2021-03-11T12:00:00+02:00", "2021-03-11T10:00:00Z"),
    ("yesterday", "2026-03-02T08:00:00Z"),  # no date at all: the harvest date
    ("2021-03-11T10:00:00", "2026-03-02T08:00:00Z"),  # a local time: no moment
])
def test_a_datestamp_the_schema_refuses_is_written_as_its_date(sent: str, written: str) -> None:
    el = make(datestamp=sent)
    validate(wrapped(el), "provenance")
    assert el.findtext(f"{P}datestamp") == written

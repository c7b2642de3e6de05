"""A provider built on pyoai (``oaipmh.server``) serving oai_dc, as a WSGI app.

pyoai pages with its own resumption tokens (``resumption_batch_size``) and
sends noRecordsMatch, badResumptionToken etc. as HTTP 200 like a correct
provider should.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timezone
from typing import Any
from urllib.parse import parse_qs

from oaipmh import common, error, metadata, server

from crosswalks.validation import validate
from crosswalks.xmlsafe import parse_untrusted
from tests.peers.oai import Rec


def _naive(moment: datetime) -> datetime:
    return moment.astimezone(timezone.utc).replace(tzinfo=None)


class _Store:
    """pyoai's IOAI interface over a list of records."""

    def __init__(self, records: list[Rec]) -> None:
        self.records = records

    def identify(self) -> common.Identify:
        return common.Identify(
            repositoryName="pyoai peer",
            baseURL="http://pyoai.example/oai",
            protocolVersion="2.0",
            adminEmails=["admin@pyoai.example"],
            earliestDatestamp=datetime(2020, 1, 1),
            deletedRecord="persistent",
            granularity="YYYY-MM-DDThh:mm:ssZ",
            compression=["identity"],
            toolkit_description=False,
        )

    def listMetadataFormats(self, identifier: str | None = None) -> list[tuple[str, str, str]]:  # noqa: N802
        return [("oai_dc", "http://www.openarchives.org/OAI/2.0/oai_dc.xsd",
                 "http://www.openarchives.org/OAI/2.0/oai_dc/")]

    def listSets(self) -> list[tuple[str, str, None]]:  # noqa: N802
        specs = sorted({s for r in self.records for s in r.sets})
        if not specs:
            raise error.NoSetHierarchyError("no sets")
        return [(s, f"Set {s}", None) for s in specs]

    def _select(
        self, metadataPrefix: str, set: str | None, from_: datetime | None,  # noqa: N803, A002
        until: datetime | None,
    ) -> list[Rec]:
        if metadataPrefix != "oai_dc":
            raise error.CannotDisseminateFormatError(metadataPrefix)
        return [
            r for r in self.records
            if (from_ is None or _naive(r.datestamp) >= from_)
            and (until is None or _naive(r.datestamp) <= until)
            and (set is None or set in r.sets)
        ]

    def _entry(self, r: Rec) -> tuple[common.Header, common.Metadata | None, None]:
        header = common.Header(None, r.identifier, _naive(r.datestamp), list(r.sets), r.deleted)
        meta = None if r.deleted else common.Metadata(
            None, {"title": [r.title], "creator": [r.creator], "type": ["Text"]}
        )
        return header, meta, None

    def listRecords(self, metadataPrefix: str = "oai_dc", set: str | None = None,  # noqa: N802, N803, A002
                    from_: datetime | None = None, until: datetime | None = None) -> list[Any]:
        return [self._entry(r) for r in self._select(metadataPrefix, set, from_, until)]

    def listIdentifiers(self, metadataPrefix: str = "oai_dc", set: str | None = None,  # noqa: N802, N803, A002
                        from_: datetime | None = None, until: datetime | None = None) -> list[Any]:
        return [self._entry(r)[0] for r in self._select(metadataPrefix, set, from_, until)]

    def getRecord(self, metadataPrefix: str, identifier: str) -> Any:  # noqa: N802, N803
        for r in self.records:
            if r.identifier == identifier:
                return self._entry(r)
        raise error.IdDoesNotExistError(identifier)


def pyoai_app(records: list[Rec], batch_size: int = 4) -> Callable[..., list[bytes]]:
    """A WSGI app serving ``records`` through pyoai's Server."""
    registry = metadata.MetadataRegistry()
    registry.registerWriter("oai_dc", server.oai_dc_writer)
    oai = server.Server(_Store(records), registry, resumption_batch_size=batch_size)

    def app(environ: dict[str, Any], start_response: Callable[..., Any]) -> list[bytes]:
        args = {k: v[0] for k, v in parse_qs(environ.get("QUERY_STRING", "")).items()}
        body = oai.handleRequest(args)
        validate(parse_untrusted(body), "oai-pmh")  # pyoai's answers must be valid too
        start_response("200 OK", [("Content-Type", "text/xml; charset=utf-8")])
        return [body]

    return app

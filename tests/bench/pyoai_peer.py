"""The benchmark's peer: pyoai's ``BatchingServer`` over SQLite, as a gunicorn WSGI app.

Run as ``gunicorn 'tests.bench.pyoai_peer:create_app()'`` with ``BENCH_PEER_DB``
naming the SQLite file :func:`tests.bench.generate.build_peer` wrote. Like a
real pyoai deployment it does its own work per request: each ListRecords page
is the ``batch_size`` records after ``cursor`` (what ``BatchingResumption`` asks
of an ``IBatchingOAIPMH`` store), read as ``n > cursor`` on the table's dense
row number rather than ``OFFSET cursor`` (the same rows, since ``n`` runs
1..count in order and nothing is deleted, at a cost that does not grow with
depth: a deployment that numbers its records would do this, and with OFFSET
one walk of 1,000,000 records took about 70 minutes), each record's metadata is built by pyoai's
``oai_dc_writer`` from the stored fields, and pyoai serialises the envelope.
oai_dc is offered, and MODS too when the table has a ``mods`` column (the
foreign provider of single-item records, :func:`tests.bench.generate.build_foreign`:
each record's stored MODS XML is parsed and appended); no sets (the benchmark
harvests everything).
"""

from __future__ import annotations

import json
import os
import sqlite3
from collections.abc import Callable, Iterable
from datetime import datetime
from typing import Any
from urllib.parse import parse_qs

from lxml import etree
from oaipmh import common, error, metadata, server

from crosswalks.xmlsafe import parse_untrusted

OAI_DC = (
    "oai_dc",
    "http://www.openarchives.org/OAI/2.0/oai_dc.xsd",
    "http://www.openarchives.org/OAI/2.0/oai_dc/",
)
MODS = (
    "mods",
    "http://www.loc.gov/standards/mods/v3/mods-3-8.xsd",
    "http://www.loc.gov/mods/v3",
)
BATCH_SIZE = 100

Entry = tuple[common.Header, common.Metadata, None]


def _stamp(text: str) -> datetime:
    return datetime.strptime(text, "%Y-%m-%dT%H:%M:%SZ")


class SQLiteStore:
    """pyoai's IBatchingOAIPMH interface over the peer table (oai_dc only)."""

    def __init__(self, conn: sqlite3.Connection, base_url: str) -> None:
        self.conn = conn
        self.base_url = base_url
        columns = {str(r[1]) for r in conn.execute("PRAGMA table_info(records)")}
        self.formats = [OAI_DC, MODS] if "mods" in columns else [OAI_DC]

    def identify(self) -> common.Identify:
        return common.Identify(
            repositoryName="pyoai benchmark peer",
            baseURL=self.base_url,
            protocolVersion="2.0",
            adminEmails=["admin@pyoai.bench"],
            earliestDatestamp=datetime(2020, 1, 1),
            deletedRecord="no",
            granularity="YYYY-MM-DDThh:mm:ssZ",
            compression=["identity"],
            toolkit_description=False,
        )

    def listMetadataFormats(self, identifier: str | None = None) -> list[tuple[str, str, str]]:  # noqa: N802
        return self.formats

    def listSets(self, cursor: int = 0, batch_size: int = 10) -> list[Any]:  # noqa: N802
        raise error.NoSetHierarchyError("this repository has no sets")

    def _entries(self, rows: Iterable[tuple[str, str, str]], prefix: str) -> list[Entry]:
        return [
            (common.Header(None, ident, _stamp(stamp), [], False),
             common.Metadata(None, json.loads(value) if prefix == "oai_dc" else {"xml": value}),
             None)
            for ident, stamp, value in rows
        ]

    def _column(self, prefix: str) -> str:
        """The column holding ``prefix``'s metadata; CannotDisseminateFormat if none."""
        if prefix not in {f[0] for f in self.formats}:
            raise error.CannotDisseminateFormatError(prefix)
        return "fields" if prefix == "oai_dc" else "mods"

    def _page(
        self, metadataPrefix: str, set: str | None, cursor: int, batch_size: int,  # noqa: N803, A002
    ) -> list[Entry]:
        column = self._column(metadataPrefix)
        if set is not None:
            raise error.NoSetHierarchyError("this repository has no sets")
        rows = self.conn.execute(
            f"SELECT identifier, datestamp, {column} FROM records WHERE n > ? ORDER BY n LIMIT ?",
            (cursor, batch_size),
        )
        entries = self._entries(rows, metadataPrefix)
        if not entries and cursor == 0:
            raise error.NoRecordsMatchError("no records")
        return entries

    def listRecords(  # noqa: N802
        self, metadataPrefix: str = "oai_dc", set: str | None = None,  # noqa: N803, A002
        from_: datetime | None = None, until: datetime | None = None,
        cursor: int = 0, batch_size: int = 10,
    ) -> list[Entry]:
        return self._page(metadataPrefix, set, cursor, batch_size)

    def listIdentifiers(  # noqa: N802
        self, metadataPrefix: str = "oai_dc", set: str | None = None,  # noqa: N803, A002
        from_: datetime | None = None, until: datetime | None = None,
        cursor: int = 0, batch_size: int = 10,
    ) -> list[common.Header]:
        return [e[0] for e in self._page(metadataPrefix, set, cursor, batch_size)]

    def getRecord(self, metadataPrefix: str, identifier: str) -> Entry:  # noqa: N802, N803
        column = self._column(metadataPrefix)
        rows = self.conn.execute(
            f"SELECT identifier, datestamp, {column} FROM records WHERE identifier = ?",
            (identifier,),
        ).fetchall()
        if not rows:
            raise error.IdDoesNotExistError(identifier)
        return self._entries(rows, metadataPrefix)[0]


def mods_writer(element: etree._Element, meta: common.Metadata) -> None:
    """pyoai metadata writer: the record's stored MODS document under ``<metadata>``."""
    element.append(parse_untrusted(meta.getMap()["xml"].encode("utf-8"), source="peer mods"))


def make_app(db_path: str, base_url: str = "http://127.0.0.1/oai") -> Callable[..., list[bytes]]:
    """A WSGI app serving the peer database at ``db_path`` through pyoai's BatchingServer."""
    conn = sqlite3.connect(db_path, check_same_thread=False)
    registry = metadata.MetadataRegistry()
    registry.registerWriter("oai_dc", server.oai_dc_writer)
    registry.registerWriter("mods", mods_writer)
    oai = server.BatchingServer(
        SQLiteStore(conn, base_url), registry, resumption_batch_size=BATCH_SIZE
    )

    def app(environ: dict[str, Any], start_response: Callable[..., Any]) -> list[bytes]:
        query = environ.get("QUERY_STRING", "")
        if environ.get("REQUEST_METHOD") == "POST":
            size = int(environ.get("CONTENT_LENGTH") or 0)
            query = environ["wsgi.input"].read(size).decode("utf-8")
        args = {k: v[0] for k, v in parse_qs(query).items()}
        body = oai.handleRequest(args)
        start_response("200 OK", [("Content-Type", "text/xml; charset=utf-8"),
                                  ("Content-Length", str(len(body)))])
        return [body]

    return app


def create_app() -> Callable[..., list[bytes]]:
    """gunicorn's factory: the database from ``BENCH_PEER_DB``, base URL from ``BENCH_PEER_URL``."""
    return make_app(os.environ["BENCH_PEER_DB"],
                    os.environ.get("BENCH_PEER_URL", "http://127.0.0.1/oai"))

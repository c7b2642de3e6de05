"""A request the archive cannot answer now (another process holds SQLite's lock) is HTTP
503 with Retry-After, which Sickle and rli's harvester wait out; any other failure stays
an OAI error; and a server whose worker restarts while another process writes goes on.

``rli serve`` opens the archive in WAL mode, where another process's lock never stops a
read once a worker has the file open (SQLite shares one process's locks between its
connections), and a rendering that cannot be stored is served anyway. So a read that
fails for a lock is made here on a file in rollback-journal mode, served by the app on
a real socket, with a second process holding ``BEGIN EXCLUSIVE``: the same SQLite error
an I/O error or a worker's first connection meets.
"""

from __future__ import annotations

import logging
import os
import re
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

import httpx
import pytest
import sqlite_utils
from lxml import etree
from sickle import Sickle

from crosswalks.validation import validate
from harvester.client import OAIClient
from harvester.shared.protocol import Verb
from repository.oai.wsgi import make_app
from tests.live_server import rli_serve
from tests.oai_fixtures import NS, SECRET, Clock, config, error_code, fill, new_archive

PREFIX = "oai:rli.localhost:"
REQUESTS = [
    {"verb": "Identify"},
    {"verb": "ListMetadataFormats", "identifier": f"{PREFIX}l003"},
    {"verb": "ListSets"},
    {"verb": "GetRecord", "metadataPrefix": "rli", "identifier": f"{PREFIX}l001"},
    {"verb": "ListRecords", "metadataPrefix": "mods"},
    {"verb": "ListIdentifiers", "metadataPrefix": "oai_dc", "set": "course:C1"},
]
_HOLD = (
    "import sqlite3, sys\n"
    "conn = sqlite3.connect(sys.argv[1], isolation_level=None)\n"
    "conn.execute('BEGIN EXCLUSIVE')\n"
    "print('held', flush=True)\n"
    "sys.stdin.readline()\n"
    "conn.execute('ROLLBACK')\n"
)


class _Holder:
    """Another process holding ``BEGIN EXCLUSIVE`` on the file until released."""

    def __init__(self, db_path: Path) -> None:
        self.proc = subprocess.Popen([sys.executable, "-c", _HOLD, str(db_path)],
                                     stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
        assert self.proc.stdout is not None and self.proc.stdout.readline().strip() == "held"

    def release(self) -> None:
        if self.proc.poll() is None:
            assert self.proc.stdin is not None
            self.proc.stdin.write("\n")
            self.proc.stdin.flush()
            assert self.proc.wait(timeout=10) == 0


@contextmanager
def _held(db_path: Path) -> Iterator[_Holder]:
    holder = _Holder(db_path)
    try:
        yield holder
    finally:
        holder.release()


class _Quiet(WSGIRequestHandler):
    def log_message(self, format: str, *args: object) -> None:  # noqa: A002
        return None


@pytest.fixture
def journal_served(tmp_path: Path) -> Iterator[tuple[str, Path]]:
    """The OAI app over an archive in rollback-journal mode, on 127.0.0.1: (root, file)."""
    db_path = tmp_path / "rli.db"
    clock = Clock()
    archive = new_archive(db_path, clock)
    fill(archive, clock, 6)
    archive.db.conn.close()
    conn = sqlite3.connect(db_path, isolation_level=None)
    assert conn.execute("PRAGMA journal_mode = DELETE").fetchone()[0] == "delete"
    conn.close()
    conn = sqlite3.connect(db_path, isolation_level=None, check_same_thread=False, timeout=0.2)
    app = make_app(sqlite_utils.Database(conn), config(retry_after=1), secret=SECRET)
    server: WSGIServer = make_server("127.0.0.1", 0, app, handler_class=_Quiet)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}", db_path
    finally:
        server.shutdown()
        server.server_close()
        conn.close()


def _oai_ok(response: httpx.Response) -> etree._Element:
    assert response.status_code == 200
    root = etree.fromstring(response.content)
    validate(root, "oai-pmh")
    assert error_code(root) is None, response.text
    return root


def test_a_request_while_another_process_holds_the_lock_is_503_with_retry_after(
    journal_served: tuple[str, Path], caplog: pytest.LogCaptureFixture,
) -> None:
    root, db_path = journal_served
    caplog.set_level(logging.WARNING, logger="repository.oai")
    with httpx.Client(timeout=30) as http, _held(db_path):
        for params in REQUESTS:
            for encoding in ("identity", "gzip"):
                response = http.get(f"{root}/oai", params=params,
                                    headers={"accept-encoding": encoding})
                assert response.status_code == 503, (params, response.text)
                assert response.headers["retry-after"] == "1"
                assert response.headers["content-type"].startswith("text/plain")
                assert "try again in 1 seconds" in response.text
            # a browser's page of the answer, a POST and HEAD: the same 503
            page = http.get(f"{root}/oai", params=params,
                            headers={"accept": "text/html,application/xhtml+xml"})
            posted = http.post(f"{root}/oai", data=params)
            head = http.head(f"{root}/oai.xml", params=params)
            assert [page.status_code, posted.status_code, head.status_code] == [503] * 3
            assert head.headers["retry-after"] == "1" and head.content == b""
        version = http.get(f"{root}/lists/l001/versions/1.xml")
        assert version.status_code == 503 and version.headers["retry-after"] == "1"
        # bad input is still answered at once, in OAI terms: it needs no database
        bad = http.get(f"{root}/oai", params={"verb": "ListRecords"})
        assert bad.status_code == 200
        assert error_code(etree.fromstring(bad.content)) == "badArgument"
    assert any("database is locked" in r.getMessage() for r in caplog.records)
    with httpx.Client(timeout=30) as http:
        for params in REQUESTS:
            _oai_ok(http.get(f"{root}/oai", params=params))
        assert http.get(f"{root}/lists/l001/versions/1.xml").status_code == 200


def test_sickle_and_rli_harvester_wait_out_the_503(
    journal_served: tuple[str, Path], caplog: pytest.LogCaptureFixture,
) -> None:
    root, db_path = journal_served
    caplog.set_level(logging.WARNING)

    class Checked(Sickle):  # type: ignore[misc]
        def harvest(self, **kwargs: str) -> object:
            response = super().harvest(**kwargs)
            validate(etree.fromstring(response.raw.encode("utf-8")), "oai-pmh")
            return response

    # the lock goes once a 503 was answered (no clock decides whether one was)
    class ReleaseOn503(logging.Handler):
        def __init__(self, holder: _Holder) -> None:
            super().__init__()
            self.holder = holder

        def emit(self, record: logging.LogRecord) -> None:
            if "HTTP 503" in record.getMessage():
                self.holder.release()

    sickle_log = logging.getLogger("sickle.app")
    with _held(db_path) as holder:
        release = ReleaseOn503(holder)
        sickle_log.addHandler(release)
        try:
            records = list(Checked(f"{root}/oai", max_retries=5).ListRecords(
                metadataPrefix="oai_dc"))
        finally:
            sickle_log.removeHandler(release)
    assert len(records) == 6
    assert any("HTTP 503" in r.getMessage() for r in caplog.records if r.name == "sickle.app")

    waits: list[float] = []
    with _held(db_path) as holder:

        def sleep(seconds: float) -> None:  # asked to wait: a 503 came
            waits.append(seconds)
            holder.release()
            time.sleep(seconds)

        with httpx.Client() as http:
            client = OAIClient(f"{root}/oai", http, sleep=sleep)
            page = client.fetch(Verb.LIST_IDENTIFIERS, {"metadataPrefix": "oai_dc"})
    validate(page.root, "oai-pmh")
    assert (len(page.items), page.complete_list_size) == (5, 6)  # a page of five
    assert waits and set(waits) == {1.0}


def test_a_broken_archive_is_still_an_oai_error_not_a_503(
    journal_served: tuple[str, Path],
) -> None:
    root, db_path = journal_served
    conn = sqlite3.connect(db_path, isolation_level=None)
    conn.execute("UPDATE list_versions SET document = X'00112233' WHERE list_id = 'l002'")
    conn.execute("DELETE FROM saved_metadata")
    conn.close()
    response = httpx.get(f"{root}/oai", params={
        "verb": "GetRecord", "metadataPrefix": "lom", "identifier": f"{PREFIX}l002"})
    assert response.status_code == 200
    answer = etree.fromstring(response.content)
    validate(answer, "oai-pmh")
    assert error_code(answer) == "badArgument"


def test_a_worker_restarted_while_another_process_writes_serves_again(tmp_path: Path) -> None:
    """A worker killed (out of memory, say) while an import holds the write lock: its
    replacement used to wait 30 s to write the token secret the master had already
    written, fail to boot, and gunicorn then stopped the whole server. Once it is up, a
    cold request whose rendering cannot be stored under the lock is answered anyway."""
    db_path = tmp_path / "rli.db"
    clock = Clock()
    archive = new_archive(db_path, clock)
    fill(archive, clock, 6)
    archive.db.conn.close()
    with rli_serve(db_path, workers=1) as served:
        booted = re.findall(r"Booting worker with pid: (\d+)", served.log.read_text())
        with _held(db_path), httpx.Client(timeout=30) as http:
            os.kill(int(booted[-1]), signal.SIGKILL)
            deadline = time.monotonic() + 25  # before the fix: 30 s, then no worker
            while True:
                try:
                    response = http.get(served.oai, params={"verb": "Identify"}, timeout=2)
                    if response.status_code == 200:
                        break
                except httpx.TransportError:
                    pass
                assert time.monotonic() < deadline, served.log.read_text()
                time.sleep(0.2)
            _oai_ok(response)
            for params in REQUESTS:
                response = http.get(served.oai, params=params,
                                    headers={"accept-encoding": "gzip"})
                assert response.headers["content-encoding"] == "gzip"
                root = _oai_ok(response)
                if params["verb"] == "GetRecord":
                    assert root.find(".//oai:metadata", NS) is not None
        log = served.log.read_text()
    assert "Worker failed to boot" not in log and "Traceback" not in log

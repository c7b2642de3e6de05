"""Running the provider on a production WSGI server (gunicorn), and building the app.

:func:`serve` blocks, running gunicorn programmatically with ``workers``
processes of ``threads`` threads (:mod:`repository.worker`: gthread with
slow and idle clients bounded), one access-log line per request on stdout
and gunicorn's own log on stderr, and a control socket of its own.
Before anything else the master checks that it can listen on the address
(ServeAddressError: a port in use or a host that does not resolve would
otherwise be gunicorn's five seconds of retries and a dozen log lines, after the
renderings were written); then it checks the database (StoreError if unusable),
settles the token secret (so all workers sign tokens alike), fixes the
rendering stamp and renders what is missing for the ``prerender`` prefixes;
each worker then opens its own SQLite connection.

The command line (``rli serve``, :mod:`repository.cli.serve`) calls this
module; this module imports nothing of the command line.
"""

from __future__ import annotations

import contextlib
import os
import pickle
import signal
import socket
import subprocess
import sys
import tempfile
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import sqlite_utils
from gunicorn.app.base import BaseApplication
from gunicorn.arbiter import Arbiter

from crosswalks.registry import FORMATS
from harvester.shared.db import open_db
from harvester.shared.protocol import CannotDisseminateFormat
from repository.access_log import ACCESS_FORMAT
from repository.archive import Archive
from repository.oai import store as oai_store
from repository.oai.provider import Provider, ProviderConfig, ProviderConfigError
from repository.oai.records import fingerprint
from repository.oai.wsgi import OAIApp
from repository.oai.wsgi import make_app as _make_app

if TYPE_CHECKING:
    from repository.web.config import WebConfig


# Seconds an idle connection (new or kept alive) stays open.
KEEPALIVE = 5
DEFAULT_THREADS = 64


def make_app(db: Path | str | sqlite_utils.Database, config: ProviderConfig) -> OAIApp:
    """The WSGI callable serving ``db`` (a path or an open Database) with ``config``."""
    return _make_app(db, config)


def _report(prefix: str, count: int) -> None:
    # about one line per thousand records (renders come in batches of 200)
    if count and count % 1000 < 200:
        print(f"rli serve: rendering {prefix}: {count} records", file=sys.stderr, flush=True)


class _Server(BaseApplication):  # type: ignore[misc]
    """gunicorn configured from a dict, the app built in each worker."""

    def __init__(self, factory: Callable[[], Any], options: dict[str, Any]) -> None:
        self._factory = factory
        self._options = options
        super().__init__()

    def load_config(self) -> None:
        for key, value in self._options.items():
            self.cfg.set(key, value)

    def load(self) -> Any:
        return self._factory()

    def run(self) -> None:
        try:
            _Arbiter(self).run()
        except RuntimeError as exc:  # as gunicorn's own run says it
            print(f"\nError: {exc}\n", file=sys.stderr, flush=True)
            sys.exit(1)


class _Arbiter(Arbiter):  # type: ignore[misc]
    """gunicorn's master, but a hang-up stops it as SIGTERM does. A terminal that closes
    sends SIGHUP, on which gunicorn reloads: rli serve or a demo went on serving (a demo
    its removed temporary archive), holding the port."""

    def handle_hup(self) -> None:
        self.log.info("Hang up: stopping")
        raise StopIteration


def site_app(
    db_path: Path, config: ProviderConfig, stamp: str, pages: WebConfig | None
) -> Any:
    """The OAI app, with the pages mounted beside it unless ``pages`` is None.

    The pages app (Flask and the views) is built by the first request for a page,
    not before: a worker that only answers OAI-PMH stays small.
    """
    oai = _make_app(db_path, config, stamp=stamp)
    if pages is None:
        return oai
    from repository.web.mount import LazyApp, mount

    def pages_app() -> Any:
        from repository.web.app import create_app

        return create_app(db_path, pages)

    return mount(oai, LazyApp(pages_app))


def _prepare_pages(db_path: Path, pages: WebConfig) -> None:
    # Before forking: the account tables and the session key exist once, for every worker.
    from repository.web.accounts import ensure_schema, session_secret

    pages.check()
    db = open_db(db_path)
    try:
        ensure_schema(db)
        session_secret(db)
    finally:
        db.conn.close()


def prepare_database(
    db_path: Path,
    config: ProviderConfig | None = None,
    prerender: Sequence[str] = (),
    progress: Callable[[str, int], None] | None = None,
    stamp: str | None = None,
) -> dict[str, int]:
    """Check the archive, apply the provider's migrations, settle the token secret, and
    store renderings of every live list in the ``prerender`` prefixes (so the first
    harvest is as fast as the next); how many records each prefix rendered.

    Raises StoreError for an unusable database, CannotDisseminateFormat for an unknown prefix.
    """
    db = open_db(db_path)
    try:
        archive = Archive(db)
        oai_store.prepare(archive)
        secret = oai_store.token_secret(db)
        done: dict[str, int] = {}
        if prerender:
            provider = Provider(archive, config or ProviderConfig(), secret=secret, stamp=stamp)
            for prefix in prerender:
                report = (lambda n, p=prefix: progress(p, n)) if progress else None
                done[prefix] = provider.prerender(prefix, progress=report)
        return done
    finally:
        db.conn.close()


def prerender_main() -> None:
    """Entry of the background rendering process: its arguments come pickled on stdin.

    Ctrl-C reaches the whole process group; this process then just ends (no traceback).
    """
    signal.signal(signal.SIGINT, signal.SIG_DFL)
    db_path, config, prerender, stamp = pickle.loads(sys.stdin.buffer.read())
    done = prepare_database(db_path, config, prerender, _report, stamp)
    for prefix, count in done.items():
        print(f"rli serve: {count} {prefix} records rendered and stored", file=sys.stderr)


def _start_prerender(
    db_path: Path, config: ProviderConfig, prerender: tuple[str, ...], stamp: str
) -> subprocess.Popen[bytes]:
    # A plain subprocess, not multiprocessing: gunicorn forks its workers from this
    # process, and a multiprocessing child would be inherited by each of them (their
    # exit then fails with "can only join a child process").
    proc = subprocess.Popen(
        [sys.executable, "-c", "from repository.serve import prerender_main; prerender_main()"],
        stdin=subprocess.PIPE,
    )
    assert proc.stdin is not None
    proc.stdin.write(pickle.dumps((db_path, config, prerender, stamp)))
    proc.stdin.close()
    return proc


def bind_address(host: str, port: int) -> str:
    """``host:port`` as gunicorn binds it (an IPv6 literal in brackets)."""
    return f"[{host}]:{port}" if ":" in host else f"{host}:{port}"


class ServeAddressError(ProviderConfigError):
    """The server cannot listen on its host and port (the message says why)."""


def check_address(host: str, port: int) -> None:
    """Raise ServeAddressError unless a socket can listen on ``host``:``port`` now (with
    SO_REUSEADDR, as gunicorn binds; a later taker of the port still wins the race)."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET  # as gunicorn binds it
    try:
        family, kind, proto, _, address = socket.getaddrinfo(
            host, port, family, socket.SOCK_STREAM)[0]
    except socket.gaierror as exc:
        raise ServeAddressError(f"{host}: {exc.strerror}") from None
    with socket.socket(family, kind, proto) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind(address)
            probe.listen()
        except OSError as exc:
            raise ServeAddressError(
                f"{bind_address(host, port)}: {(exc.strerror or str(exc)).lower()}") from None


def serve(
    db_path: Path,
    *,
    host: str,
    port: int,
    workers: int = 2,
    config: ProviderConfig,
    threads: int = DEFAULT_THREADS,
    prerender: Sequence[str] = ("oai_dc",),
    pages: WebConfig | None = None,
    announce: Callable[[], None] | None = None,
) -> None:
    """Serve the archive at ``db_path`` over OAI-PMH until interrupted (blocking);
    ``announce`` is called once every setting has been checked, before the workers start.

    With ``pages``, the pages for people answer every path but the OAI ones
    (:mod:`repository.web`) on the same port.

    While the workers start, a background process makes and stores the renderings
    missing for ``prerender`` prefixes (once per list version; see
    :mod:`repository.oai.records`); until then a worker renders on demand.
    Raises StoreError if the database is unusable, ProviderConfigError for bad counts,
    CannotDisseminateFormat for an unknown prerender prefix, WebConfigError for bad
    page settings, ServeAddressError when it cannot listen on ``host``:``port``.
    """
    if workers < 1 or threads < 1:
        raise ProviderConfigError("workers and threads must be at least 1")
    check_address(host, port)
    # One stamp for the master's renderings and every worker's, fixed before any
    # rendering: workers then reuse what was stored even if files change meanwhile.
    unknown = [p for p in prerender if p not in FORMATS]
    if unknown:
        raise CannotDisseminateFormat(f"cannot prerender unknown format {unknown[0]!r}")
    stamp = fingerprint(config.base_url, config.repository_identifier)
    prepare_database(db_path, config, (), None, stamp)
    if pages is not None:
        _prepare_pages(db_path, pages)
    if announce is not None:
        announce()
    background: subprocess.Popen[bytes] | None = None
    if prerender:
        # Render what is missing beside the workers, not before them: a large
        # archive's first start would otherwise keep the port closed for minutes.
        # It ends with the server (on_exit below).
        background = _start_prerender(db_path, config, tuple(prerender), stamp)

    def on_exit(server: object) -> None:
        if background is not None and background.poll() is None:
            background.terminate()
            background.wait()
        with contextlib.suppress(OSError):
            control.unlink()

    # Each server its own control socket (gunicorn's default path is shared per user).
    control = Path(tempfile.gettempdir()) / f"rli-serve-{os.getpid()}.ctl"
    options = gunicorn_options(host, port, workers, threads, control)
    options["on_exit"] = on_exit
    _Server(lambda: site_app(db_path, config, stamp, pages), options).run()


def gunicorn_options(
    host: str, port: int, workers: int, threads: int, control: Path
) -> dict[str, Any]:
    """gunicorn's settings for :func:`serve` (``control``: its control socket)."""
    return {
        "bind": bind_address(host, port),
        "workers": workers,
        # gthread with slow and idle clients bounded: see repository.worker.
        "worker_class": "repository.worker.BoundedThreadWorker",
        "threads": threads,
        "keepalive": KEEPALIVE,
        # gunicorn's largest request line (its default, 4094, answered a GET whose token
        # carries a long set's spec with its own 414 page, not OAI-PMH)
        "limit_request_line": 8190,
        "accesslog": "-",
        "errorlog": "-",
        "logger_class": "repository.access_log.AccessLogger",
        "access_log_format": ACCESS_FORMAT,
        "loglevel": "info",
        "timeout": 120,
        "graceful_timeout": 10,
        "proc_name": "rli-serve",
        "preload_app": False,
        "control_socket": str(control),
    }

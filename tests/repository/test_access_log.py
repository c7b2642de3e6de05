"""The access line ``rli serve`` writes: gunicorn's, for less work a request."""

from __future__ import annotations

import sys
from datetime import timedelta
from pathlib import Path
from types import FrameType, SimpleNamespace
from typing import Any

import pytest
from gunicorn.config import Config

from repository.serve import gunicorn_options
from repository.worker import AccessLogger


def _config(log: Path, **extra: Any) -> Config:
    """gunicorn's configuration as ``rli serve`` sets it, the access log to ``log``."""
    cfg = Config()
    for key, value in gunicorn_options("127.0.0.1", 8000, 1, 4, log.with_suffix(".ctl")).items():
        cfg.set(key, value)
    cfg.set("accesslog", str(log))
    for key, value in extra.items():
        cfg.set(key, value)
    return cfg


def _request(agent: str | None = None, sent: int | None = 2900, status: Any = "200 OK",
             addr: str | None = "127.0.0.1") -> tuple[Any, Any, dict[str, Any], timedelta]:
    environ: dict[str, Any] = {
        "REQUEST_METHOD": "GET", "SERVER_PROTOCOL": "HTTP/1.1",
        "RAW_URI": "/oai?verb=GetRecord&identifier=oai:rli.localhost:a%22b&x=%25s",
        "PATH_INFO": "/oai", "QUERY_STRING": "verb=GetRecord", "HTTP_HOST": "127.0.0.1"}
    headers = [("HOST", "127.0.0.1"), ("ACCEPT-ENCODING", "gzip")]
    if agent is not None:
        environ["HTTP_USER_AGENT"] = agent
        headers.append(("USER-AGENT", agent))
    if addr is not None:
        environ["REMOTE_ADDR"] = addr
    response = SimpleNamespace(status=status, sent=sent,
                               headers=[("Content-Type", "text/xml"), ("Content-Length", "2900")])
    return response, SimpleNamespace(headers=headers), environ, timedelta(microseconds=12_345)


CASES = [
    _request("Sickle/0.7 (\"quoted\" 100% sure)"),
    _request(None, sent=None, status="503 Service Unavailable"),
    _request("curl/8", sent=0, status=304, addr=None),
]


def test_rli_serve_writes_the_line_gunicorn_would(tmp_path: Path) -> None:
    # one after the other: both write through the one "gunicorn.access" logger
    for name, logger_class, log_format in (
        ("rli.log", "repository.worker.AccessLogger", None),
        ("gunicorn.log", "gunicorn.glogging.Logger", AccessLogger.ACCESS_FORMAT),
    ):
        extra = {"logger_class": logger_class}
        if log_format is not None:
            extra["access_log_format"] = log_format
        cfg = _config(tmp_path / name, **extra)
        logger = cfg.logger_class(cfg)
        for case in CASES:
            logger.access(*case)
        for handler in logger.access_log.handlers:
            handler.close()
    lines = (tmp_path / "rli.log").read_text().splitlines()
    assert lines == (tmp_path / "gunicorn.log").read_text().splitlines()
    assert len(lines) == 3 and lines[0].startswith('127.0.0.1 "GET /oai?verb=GetRecord')
    assert lines[0].endswith(' 200 2900 12ms "Sickle/0.7 (\\"quoted\\" 100% sure)"')
    assert lines[1].endswith(' 503 - 12ms "-"') and lines[2].startswith('- "GET')


def _python_work(call: Any) -> int:
    """How much Python ``call`` runs: the tracer's events (each call, line and return)."""
    events = [0]

    def trace(frame: FrameType, event: str, arg: object) -> Any:
        events[0] += 1
        return trace

    sys.settrace(trace)
    try:
        call()
    finally:
        sys.settrace(None)
    return events[0]


@pytest.mark.parametrize("case", range(len(CASES)))
def test_an_access_line_is_made_without_gunicorns_table_of_every_header(
    tmp_path: Path, case: int
) -> None:
    # Issue 15: gunicorn built a table of every request header, response header and
    # environ variable for each line, about 90 µs of a GetRecord's 530 µs of server CPU
    # (here 32 µs a line against 12 now, in process). Its events: 519 against 260 for
    # writing a line alone.
    cfg = _config(tmp_path / "access.log")
    logger = cfg.logger_class(cfg)
    logger.access(*CASES[case])  # logging caches the level on a logger's first line
    work = _python_work(lambda: logger.access(*CASES[case]))
    # what writing a line through the same logging handler costs on its own
    bare = _python_work(lambda: logger.access_log.info("a line"))
    assert work <= bare + 60, (work, bare)

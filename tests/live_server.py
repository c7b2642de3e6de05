"""A real ``rli serve`` process (gunicorn) on 127.0.0.1 and a free port, for end-to-end tests."""

from __future__ import annotations

import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx

RLI = [sys.executable, "-c", "from repository.cli import main; main()"]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass(frozen=True)
class Served:
    """Where a running server answers: ``root`` (``http://127.0.0.1:PORT``) and ``oai``."""

    root: str
    log: Path

    @property
    def oai(self) -> str:
        return f"{self.root}/oai"


def build_demo(db: Path) -> Path:
    """``rli demo --no-serve`` into ``db`` (the bundled lists); the path."""
    subprocess.run([*RLI, "--db", str(db), "demo", "--no-serve"], check=True,
                   capture_output=True, timeout=120)
    return db


@contextmanager
def rli_serve(db: Path, *extra: str, workers: int = 1) -> Iterator[Served]:
    """``rli serve`` over ``db`` until the block ends (stopped, and killed if it lingers)."""
    port = free_port()
    log = db.with_name(f"serve-{port}.log")
    with log.open("wb") as sink:
        proc = subprocess.Popen(
            [*RLI, "--db", str(db), "serve", "--host", "127.0.0.1", "--port", str(port),
             "--workers", str(workers), *extra],
            stdout=sink, stderr=subprocess.STDOUT,
        )
    served = Served(f"http://127.0.0.1:{port}", log)
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                if httpx.get(served.oai, params={"verb": "Identify"}, timeout=2).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            if proc.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"rli serve did not start:\n{log.read_text()}")
            time.sleep(0.2)
        yield served
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()

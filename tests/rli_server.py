"""A real ``rli serve`` process for tests: started on a free port, stopped with a signal."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class Running:
    url: str
    port: int
    log: Path
    proc: subprocess.Popen[bytes]

    def stop(self, sig: int = signal.SIGTERM, timeout: float = 20) -> int:
        """Send ``sig`` to the server's process group (as a terminal's Ctrl-C does); its status."""
        if self.proc.poll() is None:
            os.killpg(self.proc.pid, sig)
        try:
            return self.proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            os.killpg(self.proc.pid, signal.SIGKILL)
            return self.proc.wait()


@contextmanager
def rli_serve(db_path: Path, *args: str, log: Path | None = None) -> Iterator[Running]:
    """``rli serve`` over ``db_path`` until the block ends; the log holds stdout and stderr."""
    port = free_port()
    log = log or db_path.parent / f"serve-{port}.log"
    script = Path(sys.executable).parent / "rli"
    command = [str(script)] if script.exists() else [sys.executable, "-m", "repository"]
    with log.open("wb") as sink:
        proc = subprocess.Popen(
            [*command, "--db", str(db_path), "serve", "--host", "127.0.0.1", "--port", str(port),
             *args],
            stdout=sink, stderr=subprocess.STDOUT, start_new_session=True,
        )
    running = Running(f"http://127.0.0.1:{port}/oai", port, log, proc)
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                answer = httpx.get(running.url, params={"verb": "Identify"}, timeout=2)
                if answer.status_code == 200:
                    break
            except httpx.TransportError:
                pass
            if proc.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"server did not start:\n{log.read_text()}")
            time.sleep(0.2)
        yield running
    finally:
        running.stop()

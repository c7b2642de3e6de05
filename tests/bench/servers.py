"""Starting, watching and stopping the two providers the benchmark measures.

:func:`running` starts a server command as a subprocess on a free 127.0.0.1
port, waits (bounded) until Identify answers, yields a :class:`Server`, and
always stops the whole process group afterwards. :func:`peak_rss_mb` reads
VmHWM of the master and its worker processes from ``/proc`` (Linux only);
:func:`cpu_seconds` their user+system CPU time so far (``utime + stime``).

Raises BenchError when a server exits early or does not answer in time.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import json
import os
import signal
import socket
import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent


class BenchError(Exception):
    """The benchmark could not run a step; the message says which and why."""


@dataclass(frozen=True)
class Server:
    """A running provider: its OAI base URL, the master's process id, seconds until ready."""

    base_url: str
    pid: int
    startup_s: float


def free_port() -> int:
    """A port on 127.0.0.1 that was free a moment ago."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def rli_command(db: Path, port: int, workers: int) -> list[str]:
    """``rli serve`` with a fixed public base URL, so stored renderings survive a new port."""
    return [str(BIN / "rli"), "serve", "--db", str(db), "--host", "127.0.0.1",
            "--port", str(port), "--workers", str(workers),
            "--base-url", "http://127.0.0.1/oai"]


def read_through(db: Path, chunk: int = 1 << 20) -> int:
    """Read the SQLite file ``db`` and its write-ahead log once (bytes read), so a first
    walk measures the server's state, not the disk: the benchmark machine's kernel pages
    out file pages left unread for about a minute (a DAMON ``pageout`` scheme), and a
    server started after a pause would otherwise read its database from the disk, the
    larger file for longer. Both servers' files are read before their first walks.
    Raises BenchError if ``db`` does not exist (its log need not)."""
    if not db.is_file():
        raise BenchError(f"no database to read at {db}")
    total = 0
    for path in (db, db.with_name(db.name + "-wal")):
        if not path.exists():
            continue
        with path.open("rb", buffering=0) as stream:
            while data := stream.read(chunk):
                total += len(data)
    return total


def forget_renderings(db: Path) -> int:
    """Delete the provider's stored renderings in ``db`` (how many there were), so the
    first walk after start is the cold case even in a reused ``--workdir``. What the
    archive wrote with each version (``saved_metadata``) stays: it is part of the
    archive as built."""
    conn = sqlite3.connect(db)
    try:
        found = conn.execute(
            "SELECT count(*) FROM sqlite_master WHERE name = 'provider_records'").fetchone()[0]
        if not found:
            return 0
        count = int(conn.execute("SELECT count(*) FROM provider_records").fetchone()[0])
        conn.execute("DELETE FROM provider_records")
        conn.commit()
        return count
    finally:
        conn.close()


def peer_command(port: int, workers: int) -> list[str]:
    return [str(BIN / "gunicorn"), "--bind", f"127.0.0.1:{port}", "--workers", str(workers),
            "--worker-class", "sync", "--timeout", "120", "--chdir", str(ROOT),
            "--access-logfile", "-", "tests.bench.pyoai_peer:create_app()"]


def _wait_ready(url: str, proc: subprocess.Popen[bytes], timeout: float) -> None:
    deadline = time.monotonic() + timeout
    with httpx.Client(timeout=5) as client:
        while time.monotonic() < deadline:
            if proc.poll() is not None:
                raise BenchError(f"server exited with status {proc.returncode} before answering")
            try:
                if client.get(url, params={"verb": "Identify"}).status_code == 200:
                    return
            except httpx.TransportError:
                pass
            time.sleep(0.1)
    raise BenchError(f"server at {url} did not answer Identify within {timeout:.0f} s")


@contextmanager
def running(
    command: Sequence[str], port: int, *, env: dict[str, str] | None = None,
    log: Path | None = None, timeout: float = 60.0,
) -> Iterator[Server]:
    """Run ``command`` (listening on ``port``) until the block ends; yield the Server."""
    out = open(log, "ab") if log is not None else subprocess.DEVNULL  # noqa: SIM115
    proc = subprocess.Popen(
        list(command), cwd=ROOT, env={**os.environ, **(env or {})},
        stdout=out, stderr=out, start_new_session=True,
    )
    url = f"http://127.0.0.1:{port}/oai"
    start = time.perf_counter()
    try:
        _wait_ready(url, proc, timeout)
        yield Server(url, proc.pid, time.perf_counter() - start)
    finally:
        _stop(proc)
        if log is not None and not isinstance(out, int):
            out.close()


def _stop(proc: subprocess.Popen[bytes]) -> None:
    if proc.poll() is None:
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(timeout=15)


def _children(pid: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        if int(stat.rpartition(")")[2].split()[1]) == pid:
            found.append(int(entry.name))
    return found


def _hwm_kb(pid: int) -> int:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


def peak_rss_mb(pid: int) -> tuple[float, float]:
    """(sum, max) of VmHWM in MB over ``pid`` and its direct children (the workers)."""
    sizes = [_hwm_kb(p) for p in (pid, *_children(pid))]
    return sum(sizes) / 1024, max(sizes) / 1024


_TICKS = os.sysconf("SC_CLK_TCK")


def _cpu_ticks(pid: int) -> tuple[int, int]:
    """Clock ticks of CPU (user+system) of ``pid`` itself and of the children it reaped
    (0, 0 for a process gone)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()
    except OSError:
        return 0, 0
    # utime, stime, cutime, cstime: fields 14 to 17 of stat
    return int(fields[11]) + int(fields[12]), int(fields[13]) + int(fields[14])


def _process_clock() -> Callable[[int], float | None]:
    """CPU seconds of a live process to the nanosecond (Linux ``clock_getcpuclockid``
    through ctypes: Python has no binding), or None where that is unavailable."""
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c"), use_errno=True)
        getclock = libc.clock_getcpuclockid
    except (OSError, AttributeError):
        return lambda pid: None

    def seconds(pid: int) -> float | None:
        clock = ctypes.c_int()
        if getclock(pid, ctypes.byref(clock)) != 0:
            return None
        try:
            return time.clock_gettime(clock.value)
        except OSError:  # the process ended meanwhile
            return None

    return seconds


_process_cpu = _process_clock()


def _cpu(pid: int) -> float:
    """CPU seconds of live ``pid``: to the nanosecond where the kernel tells, else in ticks."""
    exact = _process_cpu(pid)
    return exact if exact is not None else _cpu_ticks(pid)[0] / _TICKS


def cpu_seconds(pid: int) -> float:
    """User+system CPU seconds used so far by ``pid``, its live direct children and the
    children it has reaped (so a child ending between two samples is not lost).

    Live processes are read to the nanosecond (``clock_getcpuclockid``), reaped ones in
    clock ticks (10 ms: all ``/proc`` keeps of them). Sampled before and after a walk,
    the difference is the server's CPU for that walk.
    """
    reaped = _cpu_ticks(pid)[1] / _TICKS
    return reaped + _cpu(pid) + sum(_cpu(p) for p in _children(pid))


def wait_for_line(log: Path, needle: str, *, offset: int = 0, timeout: float = 600.0) -> float:
    """Seconds until a line holding ``needle`` appears in ``log`` past byte ``offset``.

    Raises BenchError if none does within ``timeout``.
    """
    start = time.monotonic()
    while time.monotonic() - start < timeout:
        with open(log, "rb") as fh:
            fh.seek(offset)
            if needle.encode() in fh.read():
                return time.monotonic() - start
        time.sleep(0.2)
    raise BenchError(f"{log.name}: no {needle!r} within {timeout:.0f} s")


@dataclass(frozen=True)
class Measured:
    """An ``rli`` run: its output, wall seconds, and its own CPU seconds and peak RSS (MB)."""

    done: subprocess.CompletedProcess[str]
    seconds: float
    cpu_seconds: float
    peak_rss_mb: float


def measured_rli(db: Path, *args: str, what: str, time_limit: float = 3600.0) -> Measured:
    """``rli --db DB ARGS`` under :mod:`tests.bench.rusage`; BenchError if it runs out of
    time or fails (``what`` names it in the message)."""
    usage_path = db.with_suffix(".rusage.json")
    command = [sys.executable, "-m", "tests.bench.rusage", str(usage_path),
               str(BIN / "rli"), "--db", str(db), *args]
    start = time.perf_counter()
    try:
        done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True,
                              timeout=time_limit, check=False)
    except subprocess.TimeoutExpired as exc:
        raise BenchError(f"{what} took longer than {time_limit:.0f} s") from exc
    seconds = time.perf_counter() - start
    if done.returncode != 0:
        tail = (done.stdout + done.stderr).strip()[-500:]
        raise BenchError(f"{what} failed ({done.returncode}): {tail}")
    usage = json.loads(usage_path.read_text())
    return Measured(done, seconds, usage["user_s"] + usage["sys_s"], usage["maxrss_kb"] / 1024)

"""Run a command and report its own peak RSS and CPU: ``python -m tests.bench.rusage OUT CMD...``.

The benchmark's process is large (it holds the saved pages), and on Linux a
child started from it by ``vfork``/``fork`` + ``exec`` inherits the parent's
high-water mark in ``ru_maxrss``. This small launcher forks the command from
a fresh interpreter instead, reaps it with ``os.wait4`` and writes
``{"status", "maxrss_kb", "user_s", "sys_s"}`` as JSON to OUT. The launcher's
own few MB are the floor of the figure. Exits with the command's status.
"""

from __future__ import annotations

import json
import os
import sys


def main(argv: list[str]) -> int:
    if len(argv) < 2:
        print("usage: python -m tests.bench.rusage OUT CMD [ARG...]", file=sys.stderr)
        return 2
    out, command = argv[0], argv[1:]
    pid = os.fork()
    if pid == 0:  # the child: become the command
        try:
            os.execv(command[0], command)
        finally:
            os._exit(127)
    _, status, usage = os.wait4(pid, 0)
    code = os.waitstatus_to_exitcode(status)
    with open(out, "w", encoding="utf-8") as fh:
        json.dump({"status": code, "maxrss_kb": usage.ru_maxrss,
                   "user_s": usage.ru_utime, "sys_s": usage.ru_stime}, fh)
    return code if code >= 0 else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

"""cProfile a script in every thread it starts: ``python -m tests.bench.threadprof OUT SCRIPT ...``.

``python -m cProfile`` sees only the main thread, and ``rli harvest`` does its
work in a pool thread (one per provider host) and a fetching thread. Here each
thread gets its own profiler (``threading.Thread.run`` wrapped), and their
statistics are merged with the main thread's into one pstats file, OUT.
"""

from __future__ import annotations

import cProfile
import pstats
import runpy
import sys
import threading
from typing import Any


def main(argv: list[str]) -> int:
    if len(argv) < 2:
        print("usage: python -m tests.bench.threadprof OUT SCRIPT [ARG...]", file=sys.stderr)
        return 2
    out, script = argv[0], argv[1]
    profiles: list[cProfile.Profile] = []
    lock = threading.Lock()
    original = threading.Thread.run

    def run(self: threading.Thread, *args: Any, **kwargs: Any) -> None:
        profile = cProfile.Profile()
        with lock:
            profiles.append(profile)
        profile.enable()
        try:
            original(self, *args, **kwargs)
        finally:
            profile.disable()

    threading.Thread.run = run  # type: ignore[method-assign]
    main_profile = cProfile.Profile()
    sys.argv = [script, *argv[2:]]
    code = 0
    main_profile.enable()
    try:
        runpy.run_path(script, run_name="__main__")
    except SystemExit as exc:
        code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
    finally:
        main_profile.disable()
        threading.Thread.run = original  # type: ignore[method-assign]
    stats = pstats.Stats(main_profile)
    for profile in profiles:
        stats.add(profile)
    stats.dump_stats(out)
    return code


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

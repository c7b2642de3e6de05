"""Linear-time checks without a clock bound: CPU time per item at two sizes, compared.

A wall-clock bound ("under 2 s") fails on a loaded machine and passes a quadratic
loop on a fast one. Comparing the process's own CPU time per item at a small and a
large size is independent of the machine's speed and of other processes: linear
work gives a ratio near 1, quadratic work a ratio near ``big / small``.
"""

from __future__ import annotations

import time
from collections.abc import Callable

# A linear loop measures about 1; ten times the size of a quadratic one measures about 10.
LINEAR = 3.0


def cpu_per_item(run: Callable[[], object], size: int, repeat: int = 3) -> float:
    """The least process CPU time of ``repeat`` calls of ``run``, divided by ``size``."""
    best = float("inf")
    for _ in range(repeat):
        started = time.process_time()
        run()
        best = min(best, time.process_time() - started)
    return max(best, 1e-6) / size


def growth(make: Callable[[int], Callable[[], object]], small: int, big: int) -> float:
    """How much more CPU an item costs at ``big`` than at ``small`` (1.0 = linear).

    ``make(n)`` prepares the input of size ``n`` (not timed) and returns the call to time.
    """
    return cpu_per_item(make(big), big) / cpu_per_item(make(small), small)

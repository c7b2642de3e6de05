"""The serve/harvest benchmark: rli against pyoai and Sickle (``python -m tests.bench.run``).

Not part of the default test run; ``tests/test_bench_smoke.py`` runs it at a tiny size.
"""

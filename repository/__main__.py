"""``python -m repository ...``: the ``rli`` command without its console script."""

from repository.cli import main

main()

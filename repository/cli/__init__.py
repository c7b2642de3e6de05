"""The ``rli`` command line: a thin click shell over the archive, harvester and crosswalks.

=========  ==================================================================
module     one idea
=========  ==================================================================
context    what every command shares: Env, opening the archive, errors as one line
main       the ``rli`` group; attaches every command group below
archive    init, import, lists, show, history, diff, new, edit, annotate, ...
harvest    source add|list|remove, harvest
resources  resources, resources show (the harvest read back)
search     search, reindex
serve      serve
demo       demo
users      user add|list|remove (accounts for the web pages)
convert    convert
text       plain-text renderings for the terminal
=========  ==================================================================
"""

from repository.cli.main import cli, main

__all__ = ["cli", "main"]

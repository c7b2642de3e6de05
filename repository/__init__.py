"""The repository: the archive of resource lists, its OAI-PMH provider and the ``rli`` command.

============  ===============================================================
module        one idea
============  ===============================================================
archive/      versions, tombstones, sets, editing, diff, import, export
oai/          the OAI-PMH provider: arguments, tokens, XML, records, WSGI app
cli/          the ``rli`` command line, one module per command group
serve         running the provider on gunicorn
============  ===============================================================

Imports crosswalks and harvester; neither imports it.
"""

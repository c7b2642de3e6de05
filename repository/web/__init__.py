"""Pages for people: the archive and the harvest as HTML, and writing lists in a browser.

A Flask application mounted beside the OAI-PMH WSGI app in the same process
and port (:mod:`repository.web.mount`): ``/oai``, ``/static/`` and the version
documents ``/lists/<id>/versions/<n>.xml`` stay with the OAI app, every other
path comes here. Views gather what they show through the archive's and the
harvester's query functions and render Jinja2 templates (autoescaped); no
SQL and no HTML strings in views.

========  ===================================================================
module    one idea
========  ===================================================================
app       create_app: the Flask app, per-thread archive, error pages
config    WebConfig: resolver, private, cookies, login throttling (no Flask)
context   the request's archive (one connection per thread) and settings
mount     the dispatcher between the OAI app and the pages
security  sessions, CSRF tokens, login and logout, who may write
accounts  users, scrypt password hashes, login throttling (no Flask)
writes    each form's write as a compare-and-set on its version (no Flask)
views/    one blueprint per area: home (index, sources, resources), lists
          (list, versions, diff, export), edit (the forms' POSTs), create
          (a new list), search (hits, picked into lists), changes (pending)
========  ===================================================================

Others import ``create_app`` from :mod:`repository.web.app`, ``WebConfig`` from
:mod:`repository.web.config`
and ``mount`` from :mod:`repository.web.mount`; this ``__init__`` imports
nothing, so ``rli user`` (which needs only ``accounts``) does not load Flask.
"""

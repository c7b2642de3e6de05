"""OAI-PMH peers the harvester tests talk to over real sockets on 127.0.0.1.

serve.py       run any WSGI app on a free port in a thread
oai.py         response builders (lxml) and CatalogPeer, a small well-behaved provider
scripted.py    ScriptedPeer: responses scripted per request (faults on purpose)
pyoai_peer.py  a provider built on pyoai (the ``oaipmh`` package) serving oai_dc
"""

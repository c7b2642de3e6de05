"""The OAI-PMH 2.0 provider: the six verbs over the archive, as a WSGI app.

===========  ================================================================
module       one idea
===========  ================================================================
args         the verb -> argument rule table and request validation
tokens       stateless HMAC-signed resumption tokens
envelope     response XML: the streamed envelope, headers, records, ``<about>``
records      serialised ``<record>``s, stored once per immutable state
store        what the provider reads from and keeps in the database
compression  gzip for streams that splice in precompressed records
provider     Provider: the six verbs as a stream of response bytes
html         pages for browsers: who gets one, rendered on the server
wsgi         the WSGI app: ``/oai`` (and ``.xml``), version documents, stylesheet
===========  ================================================================
"""

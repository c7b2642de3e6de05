"""The OAI-PMH 2.0 harvester: client, sources, checkpointed runs, and the harvest log.

=============  ==============================================================
module         one idea
=============  ==============================================================
shared/        shared with the repository: ``protocol`` (OAI-PMH vocabulary: verbs,
               errors, dates), ``db`` (the SQLite file: open, transaction, migrate)
               and ``fulltext`` (search query language, tokenizer, hits)
errors         HarvestError and its tree
retry          RetryPolicy: Retry-After (seconds / HTTP-date), backoff, wait budget
envelope       a parsed response as values: Page, Header, Record, Identity
client         OAIClient on httpx: the six verbs, retries, strict parsing, tokens
ahead          the next page fetched and parsed in a thread while the current one is stored
schema         the harvest_* tables (plain SQL migrations)
sources        registered sources, schedules, due times, figures
records        one record kept raw, then read into RLI (or handed to the ListSink)
provenance     OAI provenance originDescription, nested per hop
sink           ListSink: the Protocol the repository's Archive satisfies
job            one run: incremental window, per-page checkpoint, resume
schedule       several runs at once: one worker and one connection per host
search         the harvested resources' full-text index (FTS5), kept per page
query          reading the harvest back: harvested_resources, resource_rows, one resource
oneshot        the pyoaiharvest job: one harvest streamed into one XML file
=============  ==============================================================

Imports run one way: harvester imports crosswalks, never repository.
"""

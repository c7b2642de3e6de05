"""What the harvester shares with the repository: the SQLite store and the OAI-PMH vocabulary.

=========  ==================================================================
module     one idea
=========  ==================================================================
db         the SQLite file: open (WAL), transaction (savepoints when nested), migrate
protocol   OAI-PMH 2.0 vocabulary: verbs, error codes as classes, datestamps
fulltext   the search query language, tokenizer, filters and hits both indexes share
ftsindex   the FTS5 tables of both indexes: add, remove, rank a window, build once
=========  ==================================================================

Both the harvester (client) and the repository (archive, provider) import
these; they import nothing of ours, so the direction stays
crosswalks <- harvester <- repository.
"""

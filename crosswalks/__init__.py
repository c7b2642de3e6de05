"""Formats: the RLI model and its XML binding, and every crosswalk to and from it.

============  ===============================================================
module        one idea
============  ===============================================================
rli/          the RLI model, its XML binding and the ``rli`` metadata format
dc/           unqualified Dublin Core (oai_dc) <-> RLI
mods/         MODS 3.x <-> RLI
lom/          IEEE LOM (and IMS MD 1.2) <-> RLI
citations/    RIS, BibTeX and CSL-JSON exports on one field extraction
openurl       OpenURL 1.0 KEV links
ims_cp        IMS Content Packages holding RLI lists
registry      metadata formats keyed by OAI metadataPrefix
convert       one file from one format to another (``rli convert``)
written       what a writer cannot carry (read back and compared)
oai_file      OAI-PMH responses and harvest dumps read record by record
xmlsafe       untrusted bytes in, clean XML out
validation    offline XSD validation against ``data/schemas``
bundled       the installed ``data/`` files, through importlib.resources
errors        CrosswalkError
============  ===============================================================

Imports nothing of ours: harvester and repository import crosswalks, never
the other way round.
"""

"""The pyoaiharvest job: every record of one ListRecords harvest into one XML file.

The file is ``<repository>`` (no namespace; attributes baseURL,
metadataPrefix, harvestDate and the request's set/from/until) wrapping the
OAI ``<record>`` elements as the provider sent them. It is written page by
page with lxml's incremental writer, never held in memory, through
:func:`harvester.outfile.replacing`: to a temporary file renamed onto the
target when the harvest is complete, so a failed or interrupted harvest leaves
no half file and the old file as it was; where the file is written directly
(stdout, a FIFO), the root element is closed only when the list is complete,
so what a harvest cut short leaves is not well-formed. When the provider refuses a
resumption token, the file is begun again and the list harvested again from
its start, once (the records written before would otherwise be in the file
twice); a FIFO cannot be begun again, so there the harvest fails.

Raises what OAIClient raises (OAIError, HarvestError subclasses) and
OutputError for the output file (or an output file that is ``database``).
"""

from __future__ import annotations

import logging
from contextlib import ExitStack
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from lxml import etree

from crosswalks.xmlsafe import clean_text
from harvester.client import OAIClient, oai_args
from harvester.errors import HarvestError
from harvester.outfile import replacing
from harvester.shared.protocol import OAI_NS, BadResumptionToken, Verb, format_datestamp

log = logging.getLogger(__name__)

_HEADER = f"{{{OAI_NS}}}header"


@dataclass(frozen=True)
class DumpResult:
    path: Path
    records: int
    deleted: int
    pages: int
    stripped: int


def dump_records(
    client: OAIClient,
    out: Path,
    prefix: str,
    *,
    set_spec: str | None = None,
    from_: str | None = None,
    until: str | None = None,
    database: Path | None = None,
) -> DumpResult:
    """Harvest ListRecords into ``out`` (never onto ``database``); returns the counts."""
    args = oai_args(prefix=prefix, set_spec=set_spec, from_=from_, until=until)
    attrs = {"baseURL": client.base_url, "metadataPrefix": prefix,
             "harvestDate": format_datestamp(client.clock())}
    attrs.update({k: v for k, v in args.items() if k in ("set", "from", "until")})
    with replacing(out, database=database) as file:
        start = file.tell() if file.seekable() else None  # (stdout's offset, else 0)
        try:
            counts = _write(client, file, attrs, args)
        except _TokenRefused:
            log.warning("%s: resumption token refused; harvesting the list again from its"
                        " start, once", client.base_url)
            client.restarts += 1
            if start is None:
                raise HarvestError(f"{out}: the provider refused a resumption token and"
                                   " the harvest cannot begin this file again") from None
            file.seek(start)  # what was there before the harvest stays
            file.truncate()
            counts = _write(client, file, attrs, args, again=True)
    return DumpResult(out, *counts)


class _TokenRefused(Exception):
    """The provider refused a resumption token after pages were written."""


def _write(
    client: OAIClient, file: BinaryIO, attrs: dict[str, str], args: dict[str, str], *,
    again: bool = False,
) -> tuple[int, int, int, int]:
    """The list's records into ``file``; (records, deleted, pages, stripped).
    Raises _TokenRefused for a refused token, unless ``again`` (then BadResumptionToken)."""
    records = deleted = pages = stripped = 0
    with etree.xmlfile(file, encoding="UTF-8") as xf, ExitStack() as root:
        xf.write_declaration()
        root.enter_context(xf.element("repository", {k: clean_text(v) for k, v in attrs.items()}))
        try:
            for page in client.pages(Verb.LIST_RECORDS, args, restart=False):
                pages += 1
                stripped += page.stripped
                for el in page.items:
                    xf.write(el)
                    records += 1
                    header = el.find(_HEADER)
                    if header is not None and header.get("status") == "deleted":
                        deleted += 1
                xf.flush()
        except BaseException as exc:
            # No end tag: lxml writes it however the block ends, and a file cut short on
            # stdout or a FIFO (not replaced, see outfile) would look complete.
            root.pop_all()
            if isinstance(exc, BadResumptionToken) and pages and not again:
                raise _TokenRefused from None
            raise
    return records, deleted, pages, stripped

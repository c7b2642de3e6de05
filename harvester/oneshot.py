"""The pyoaiharvest job: every record of one ListRecords harvest into one XML file.

The file is ``<repository>`` (no namespace; attributes baseURL,
metadataPrefix, harvestDate and the request's set/from/until) wrapping the
OAI ``<record>`` elements as the provider sent them. It is written page by
page with lxml's incremental writer, never held in memory, to a temporary
name renamed into place when the harvest is complete, so a failed harvest
never leaves a half file behind. When the provider refuses a resumption token,
the file is begun again and the list harvested again from its start, once (the
records written before would otherwise be in the file twice).

Raises what OAIClient raises (OAIError, HarvestError subclasses) and
OSError for the output file.
"""

from __future__ import annotations

import logging
import os
from dataclasses import dataclass
from pathlib import Path

from lxml import etree

from crosswalks.xmlsafe import clean_text
from harvester.client import OAIClient, oai_args
from harvester.errors import HarvestError
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
) -> DumpResult:
    """Harvest ListRecords into ``out``; returns the counts."""
    args = oai_args(prefix=prefix, set_spec=set_spec, from_=from_, until=until)
    attrs = {"baseURL": client.base_url, "metadataPrefix": prefix,
             "harvestDate": format_datestamp(client.clock())}
    attrs.update({k: v for k, v in args.items() if k in ("set", "from", "until")})
    tmp = out.with_name(f".{out.name}.part")
    try:
        try:
            counts = _write(client, tmp, attrs, args)
        except _TokenRefused:
            log.warning("%s: resumption token refused; harvesting the list again from its"
                        " start, once", client.base_url)
            client.restarts += 1
            counts = _write(client, tmp, attrs, args, again=True)
        os.replace(tmp, out)
    except OSError as exc:  # lxml's file errors do not name the file
        tmp.unlink(missing_ok=True)
        raise HarvestError(f"{out}: cannot write: {exc.strerror or exc}") from exc
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return DumpResult(out, *counts)


class _TokenRefused(Exception):
    """The provider refused a resumption token after pages were written."""


def _write(
    client: OAIClient, tmp: Path, attrs: dict[str, str], args: dict[str, str], *,
    again: bool = False,
) -> tuple[int, int, int, int]:
    """The list's records into ``tmp`` (written anew); (records, deleted, pages, stripped).
    Raises _TokenRefused for a refused token, unless ``again`` (then BadResumptionToken)."""
    records = deleted = pages = stripped = 0
    with etree.xmlfile(str(tmp), encoding="UTF-8") as xf:
        xf.write_declaration()
        with xf.element("repository", {k: clean_text(v) for k, v in attrs.items()}):
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
            except BadResumptionToken:
                if again or not pages:
                    raise
                raise _TokenRefused from None
    return records, deleted, pages, stripped

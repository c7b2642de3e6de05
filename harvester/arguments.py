"""The arguments of a client's request, as the provider reads them (OAI-PMH wire names)."""

from __future__ import annotations

from collections.abc import Mapping
from contextlib import suppress

from harvester.shared.protocol import BadArgument, Granularity, format_datestamp, parse_datestamp

# Keyword argument -> OAI-PMH wire name.
WIRE_NAMES: dict[str, str] = {
    "prefix": "metadataPrefix",
    "from_": "from",
    "until": "until",
    "set_spec": "set",
    "identifier": "identifier",
}


def oai_args(**kwargs: str | None) -> dict[str, str]:
    """Keyword arguments (prefix, from_, until, set_spec, identifier) as OAI wire arguments."""
    return {WIRE_NAMES[k]: v for k, v in kwargs.items() if v is not None and v != ""}


def by_day(args: Mapping[str, str]) -> dict[str, str]:
    """``args`` with a ``from``/``until`` that has a time of day cut to its day: ``from``
    then starts at the day's midnight and ``until`` ends at the day's end (a wider
    window: nothing is lost). A value that is no datestamp is left as it is."""
    cut = dict(args)
    for name in ("from", "until"):
        with suppress(BadArgument):
            moment, granularity = parse_datestamp(cut.get(name, ""))
            if granularity is Granularity.SECONDS:
                cut[name] = format_datestamp(moment, Granularity.DAY)
    return cut

"""OAI-PMH 2.0 vocabulary shared by the client (harvester) and the provider (repository).

Verbs, namespaces, error codes as exception classes, and UTC datestamp
parsing and formatting at both granularities. The provider imports this module;
nothing here imports anything of ours.

Exception tree::

    OAIError                       any OAI-PMH protocol error (class attr ``code``)
    ├── BadVerb                    badVerb
    ├── BadArgument                badArgument
    ├── BadResumptionToken         badResumptionToken
    ├── CannotDisseminateFormat    cannotDisseminateFormat
    ├── IdDoesNotExist             idDoesNotExist
    ├── NoRecordsMatch             noRecordsMatch
    ├── NoMetadataFormats          noMetadataFormats
    └── NoSetHierarchy             noSetHierarchy
"""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta, timezone
from enum import Enum

OAI_NS = "http://www.openarchives.org/OAI/2.0/"
OAI_SCHEMA = "http://www.openarchives.org/OAI/2.0/OAI-PMH.xsd"
XSI_NS = "http://www.w3.org/2001/XMLSchema-instance"
OAI_DC_NS = "http://www.openarchives.org/OAI/2.0/oai_dc/"
OAI_DC_SCHEMA = "http://www.openarchives.org/OAI/2.0/oai_dc.xsd"
DC_NS = "http://purl.org/dc/elements/1.1/"
OAI_IDENTIFIER_NS = "http://www.openarchives.org/OAI/2.0/oai-identifier"
OAI_IDENTIFIER_SCHEMA = "http://www.openarchives.org/OAI/2.0/oai-identifier.xsd"
PROVENANCE_NS = "http://www.openarchives.org/OAI/2.0/provenance"
PROVENANCE_SCHEMA = "http://www.openarchives.org/OAI/2.0/provenance.xsd"
MODS_NS = "http://www.loc.gov/mods/v3"
LOM_NS = "http://ltsc.ieee.org/xsd/LOM"
RLI_NS = "http://www.imsglobal.org/services/rli/xsd/imsRLIManDataSchema_v1p0"


class Verb(str, Enum):
    IDENTIFY = "Identify"
    LIST_METADATA_FORMATS = "ListMetadataFormats"
    LIST_SETS = "ListSets"
    LIST_IDENTIFIERS = "ListIdentifiers"
    LIST_RECORDS = "ListRecords"
    GET_RECORD = "GetRecord"


class Granularity(str, Enum):
    DAY = "YYYY-MM-DD"
    SECONDS = "YYYY-MM-DDThh:mm:ssZ"


class OAIError(Exception):
    """An OAI-PMH error; ``code`` is the wire code, the message its human text."""

    code = "badArgument"

    def __init__(self, message: str = "") -> None:
        super().__init__(message or self.code)
        self.message = message or self.code


class BadVerb(OAIError):
    code = "badVerb"


class BadArgument(OAIError):
    code = "badArgument"


class BadResumptionToken(OAIError):
    code = "badResumptionToken"


class CannotDisseminateFormat(OAIError):
    code = "cannotDisseminateFormat"


class IdDoesNotExist(OAIError):
    code = "idDoesNotExist"


class NoRecordsMatch(OAIError):
    code = "noRecordsMatch"


class NoMetadataFormats(OAIError):
    code = "noMetadataFormats"


class NoSetHierarchy(OAIError):
    code = "noSetHierarchy"


ERRORS_BY_CODE: dict[str, type[OAIError]] = {
    cls.code: cls
    for cls in (
        BadVerb,
        BadArgument,
        BadResumptionToken,
        CannotDisseminateFormat,
        IdDoesNotExist,
        NoRecordsMatch,
        NoMetadataFormats,
        NoSetHierarchy,
    )
}


def error_for(code: str, message: str = "") -> OAIError:
    """The exception for a wire code; unknown codes become a plain :class:`OAIError`."""
    cls = ERRORS_BY_CODE.get(code)
    if cls is None:
        err = OAIError(message or code)
        err.code = code
        return err
    return cls(message)


# OAI-PMH.xsd's setSpec pattern (a harvest's --set, a provider's set argument).
SET_SPEC = re.compile(r"[A-Za-z0-9\-_.!~*'()]+(:[A-Za-z0-9\-_.!~*'()]+)*")

# ASCII digits only: \d (and strptime) take any script's digits, "٢٠٢٦-12-03" among them.
_DAY_RE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}\Z")
_SECONDS_RE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}Z\Z")


def parse_datestamp(value: str) -> tuple[datetime, Granularity]:
    """Parse an OAI UTC datestamp at either granularity.

    Raises :class:`BadArgument` for anything else (offsets, fractions, bad dates).
    """
    if _DAY_RE.match(value):
        fmt, gran = "%Y-%m-%d", Granularity.DAY
    elif _SECONDS_RE.match(value):
        fmt, gran = "%Y-%m-%dT%H:%M:%SZ", Granularity.SECONDS
    else:
        raise BadArgument(f"not an OAI-PMH UTC datestamp: {value!r}")
    try:
        parsed = datetime.strptime(value, fmt)
    except ValueError as exc:
        raise BadArgument(f"not a valid date: {value!r}") from exc
    return parsed.replace(tzinfo=timezone.utc), gran


def check_window(
    from_: str | None, until: str | None, *, names: tuple[str, str] = ("from", "until")
) -> None:
    """Raise BadArgument unless ``from_`` and ``until`` (either may be None) are OAI
    datestamps of one granularity, ``from_`` not after ``until``; the message calls them
    by ``names``."""
    parsed = []
    for name, value in zip(names, (from_, until)):
        if value is not None:
            try:
                parsed.append(parse_datestamp(value))
            except BadArgument as exc:
                raise BadArgument(f"{name}: {exc}") from None
    if len(parsed) == 2:
        (start, g1), (end, g2) = parsed
        if g1 is not g2:
            raise BadArgument(f"{names[0]} and {names[1]} must have the same granularity")
        if start > end:
            raise BadArgument(f"{names[0]} is later than {names[1]}")


def format_datestamp(moment: datetime, granularity: Granularity = Granularity.SECONDS) -> str:
    """Format a moment as an OAI UTC datestamp at the given granularity."""
    if moment.tzinfo is not None:
        moment = moment.astimezone(timezone.utc)
    if granularity is Granularity.DAY:
        return moment.strftime("%Y-%m-%d")
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


# How far past today a datestamp may be (time zones, a clock a little fast); after that, a
# provider's clock has gone wrong, and the datestamp tells nothing of which version is new.
FUTURE_SLACK = timedelta(days=1)


def in_future(datestamp: str, now: str) -> bool:
    """Whether the OAI datestamp ``datestamp`` names a day after the day after ``now``'s
    (an OAI datestamp too): a date no clock can have written yet. False for a value that
    is no datestamp. Compared as text (the forms are fixed): cheap for every record."""
    try:
        limit = (date.fromisoformat(now[:10]) + FUTURE_SLACK).isoformat()
    except ValueError:
        return False
    return datestamp[:10] > limit and _DAY_RE.match(datestamp[:10]) is not None


def utc_now() -> datetime:
    """The current moment in UTC, whole seconds (the repository's granularity)."""
    return datetime.now(timezone.utc).replace(microsecond=0)

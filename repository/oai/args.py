"""OAI-PMH request arguments: the verb -> argument rule table and request validation.

:data:`ARGUMENT_RULES` is the one table saying which arguments each verb
requires, allows, or takes exclusively (``resumptionToken``). :func:`parse_request`
turns raw ``(name, value)`` pairs from a GET query string or a POST form into
an :class:`OAIRequest`, or raises:

- :class:`~harvester.shared.protocol.BadVerb` when ``verb`` is missing, repeated or unknown;
- :class:`~harvester.shared.protocol.BadArgument` for a missing required, an unknown or
  a repeated argument, an exclusive argument given with others, control
  characters, malformed ``from``/``until``, mixed granularities or ``from`` after
  ``until``, a ``set`` that is no setSpec by OAI-PMH.xsd's pattern, or an
  ``identifier`` that is not an ``xs:anyURI`` (the response echoes it in
  ``<request>``, which OAI-PMH.xsd types so).

A valid setSpec whose ``~`` escapes rli cannot read (``course:~zz``) names no set
here: :func:`read_set_spec` gives None and the provider answers noRecordsMatch, as
for any other set that does not exist.

Nothing is lost: a valid request keeps every argument as given, so the
response's ``<request>`` element echoes it.
"""

from __future__ import annotations

import re
import threading
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from lxml import etree

from harvester.shared.protocol import (
    SET_SPEC,
    BadArgument,
    BadVerb,
    Verb,
    check_window,
)


@dataclass(frozen=True)
class VerbRule:
    """What one verb accepts: required and optional arguments, and an exclusive one."""

    required: frozenset[str] = frozenset()
    optional: frozenset[str] = frozenset()
    exclusive: str | None = None


_LIST = VerbRule(
    required=frozenset({"metadataPrefix"}),
    optional=frozenset({"from", "until", "set"}),
    exclusive="resumptionToken",
)

ARGUMENT_RULES: Mapping[Verb, VerbRule] = {
    Verb.IDENTIFY: VerbRule(),
    Verb.LIST_METADATA_FORMATS: VerbRule(optional=frozenset({"identifier"})),
    Verb.LIST_SETS: VerbRule(exclusive="resumptionToken"),
    Verb.LIST_IDENTIFIERS: _LIST,
    Verb.LIST_RECORDS: _LIST,
    Verb.GET_RECORD: VerbRule(required=frozenset({"identifier", "metadataPrefix"})),
}

# C0/C1 controls (tab, LF and CR included: no OAI argument legitimately holds them)
# and the characters XML cannot carry.
_CONTROL = re.compile("[\u0000-\u001f\u007f-\u009f\ud800-\udfff\ufffe\uffff]")


@dataclass(frozen=True)
class OAIRequest:
    """A validated OAI-PMH request: the verb and its arguments (verb excluded)."""

    verb: Verb
    arguments: tuple[tuple[str, str], ...] = ()

    def get(self, name: str) -> str | None:
        """The value of argument ``name``, or None if absent."""
        for key, value in self.arguments:
            if key == name:
                return value
        return None

    def window(self) -> tuple[str | None, str | None]:
        """``from`` / ``until`` as inclusive seconds-granularity datestamps.

        A day-granularity ``from`` means 00:00:00 that day, ``until`` 23:59:59.
        """
        start, end = self.get("from"), self.get("until")
        return (
            _widen(start, "T00:00:00Z") if start is not None else None,
            _widen(end, "T23:59:59Z") if end is not None else None,
        )


def _widen(value: str, time_of_day: str) -> str:
    return value + time_of_day if len(value) == 10 else value


def parse_request(pairs: Iterable[tuple[str, str]]) -> OAIRequest:
    """Validate raw request pairs against :data:`ARGUMENT_RULES` (see module docstring)."""
    pairs = list(pairs)
    verbs = [value for key, value in pairs if key == "verb"]
    if not verbs:
        raise BadVerb("the verb argument is missing")
    if len(verbs) > 1:
        raise BadVerb("the verb argument is repeated")
    try:
        verb = Verb(verbs[0])
    except ValueError:
        raise BadVerb("not an OAI-PMH verb") from None
    args = [(key, value) for key, value in pairs if key != "verb"]
    _check_names(verb, args)
    request = OAIRequest(verb, tuple(args))
    _check_dates(request)
    spec, prefix = request.get("set"), request.get("metadataPrefix")
    if spec is not None and not SET_SPEC.fullmatch(spec):
        raise BadArgument("not a valid setSpec")
    if prefix is not None:
        check_prefix(prefix)
    identifier = request.get("identifier")
    if identifier is not None:
        check_identifier(identifier)
    return request


def _check_names(verb: Verb, args: list[tuple[str, str]]) -> None:
    rule = ARGUMENT_RULES[verb]
    names = [key for key, _ in args]
    counts = Counter(names)
    for key, value in args:
        if _CONTROL.search(key) or _CONTROL.search(value):
            raise BadArgument("arguments must not contain control characters")
    allowed = rule.required | rule.optional | ({rule.exclusive} if rule.exclusive else set())
    unknown = sorted(set(counts) - allowed)
    if unknown:
        raise BadArgument(f"{verb.value} does not take the argument {unknown[0]!r}")
    repeated = sorted(n for n, count in counts.items() if count > 1)
    if repeated:
        raise BadArgument(f"the argument {repeated[0]!r} is repeated")
    if rule.exclusive is not None and rule.exclusive in names:
        if len(names) > 1:
            raise BadArgument(f"{rule.exclusive} is an exclusive argument")
        return
    missing = sorted(rule.required - set(counts))
    if missing:
        raise BadArgument(f"{verb.value} requires the argument {missing[0]!r}")


def _check_dates(request: OAIRequest) -> None:
    check_window(request.get("from"), request.get("until"))


# setSpec and metadataPrefix syntax from OAI-PMH.xsd.
_PLAIN_SPEC = re.compile(r"[A-Za-z0-9\-_.!*'()]+(:[A-Za-z0-9\-_.!*'()]+)*")
_PREFIX = re.compile(r"[A-Za-z0-9\-_.!~*'()]+")
_SAFE = re.compile(r"[A-Za-z0-9\-_.!*'()]")
_HEX_PAIR = re.compile(r"[0-9a-f]{2}")


def wire_set_spec(spec: str) -> str:
    """An archive set spec (a family, or ``family:value``) as a schema-valid OAI setSpec.

    The first ``:`` is the hierarchy's; characters the setSpec pattern forbids
    (and ``~``, and a ``:`` inside the value) become ``~xx`` per UTF-8 byte; an
    empty part becomes ``~``. :func:`archive_set_spec` inverts it.
    """
    if spec.count(":") <= 1 and _PLAIN_SPEC.fullmatch(spec):
        return spec
    family, colon, value = spec.partition(":")
    return _escape_part(family) + (colon + _escape_part(value) if colon else "")


def _escape_part(part: str) -> str:
    if not part:
        return "~"
    return "".join(
        ch if _SAFE.fullmatch(ch) else "".join(f"~{b:02x}" for b in ch.encode("utf-8"))
        for ch in part
    )


def archive_set_spec(wire: str) -> str:
    """The archive set spec behind an OAI setSpec; raises BadArgument if it is not one
    (not a setSpec, or escapes :func:`wire_set_spec` never writes)."""
    spec = read_set_spec(wire)
    if spec is None:
        raise BadArgument("not a valid setSpec")
    return spec


def read_set_spec(wire: str) -> str | None:
    """The archive set spec behind a valid OAI setSpec, or None if its escapes cannot
    be read (``~zz``, ``~4``, ``~ff``: no set of this repository has that name).
    Raises BadArgument if ``wire`` is not a setSpec by OAI-PMH.xsd's pattern.

    A ``:`` after the first reads as one in the value (``course:a:b`` is
    ``course:a~3ab``): the form served before values were escaped, which a
    harvester may have stored, names the same set."""
    if not SET_SPEC.fullmatch(wire):
        raise BadArgument("not a valid setSpec")
    parts = [_unescape_part(part) for part in wire.split(":")]
    return None if None in parts else ":".join(p for p in parts if p is not None)


def _unescape_part(part: str) -> str | None:
    if part == "~":
        return ""
    out = bytearray()
    i = 0
    while i < len(part):
        if part[i] == "~":
            pair = part[i + 1 : i + 3]
            if not _HEX_PAIR.fullmatch(pair):
                return None
            out.append(int(pair, 16))
            i += 3
        else:
            out += part[i].encode("ascii")
            i += 1
    try:
        return out.decode("utf-8")
    except UnicodeDecodeError:
        return None


def check_prefix(prefix: str) -> None:
    """Raise BadArgument if ``prefix`` is not a syntactically valid metadataPrefix."""
    if not _PREFIX.fullmatch(prefix):
        raise BadArgument("not a valid metadataPrefix")


# The validator's own view of xs:anyURI (libxml2's), so what passes here passes the XSD.
_ANY_URI_XSD = (
    b'<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema">'
    b'<xs:element name="u" type="xs:anyURI"/></xs:schema>'
)
_schemas = threading.local()


def check_identifier(identifier: str) -> None:
    """Raise BadArgument if ``identifier`` is not an xs:anyURI (``%``, ``a%zz``, ``[x``, ``::``)."""
    schema = getattr(_schemas, "any_uri", None)
    if schema is None:
        schema = _schemas.any_uri = etree.XMLSchema(etree.fromstring(_ANY_URI_XSD))
    element = etree.Element("u")
    element.text = identifier
    if not schema.validate(element):
        raise BadArgument("the identifier is not a valid URI")

"""Stateless resumption tokens: the harvest's arguments and keyset position, HMAC-signed.

A token is ``<payload>.<mac>``, both unpadded urlsafe base64: the payload is a
compact JSON array (see :class:`Position`), the mac is HMAC-SHA256 of the
payload under the provider's secret. Any worker holding the same secret can
continue any harvest; nothing is stored per harvest.

:meth:`TokenCodec.decode` raises :class:`~harvester.shared.protocol.BadResumptionToken`
for garbage, a bad signature (tampered, or made with another secret), a token
issued for another verb, or an expired token. What is lost: nothing the
provider needs, but a token cannot be revoked before it expires except by
changing the secret (which revokes all of them).
"""

from __future__ import annotations

import base64
import binascii
import hmac
import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

from harvester.shared.protocol import BadResumptionToken, utc_now

_FORMAT = 1
DEFAULT_TTL = timedelta(hours=25)


@dataclass(frozen=True)
class Position:
    """Where a list request stands, with the arguments it was started with.

    ``after`` is the keyset position: the last change sequence delivered
    (an int) for ListRecords / ListIdentifiers, the last setSpec (a str) for
    ListSets. ``upto`` is the highest change sequence when the harvest began.
    ``cursor`` counts items delivered before the next page, ``size`` is the
    completeListSize, ``expires`` a POSIX time.
    """

    verb: str
    prefix: str | None
    set_spec: str | None
    from_: str | None
    until: str | None
    after: int | str
    upto: int
    cursor: int
    size: int
    expires: int = 0

    @property
    def expiration(self) -> datetime:
        return datetime.fromtimestamp(self.expires, tz=timezone.utc)


class TokenCodec:
    """Signs and checks tokens with ``secret``; ``ttl`` from ``clock()`` sets expirationDate."""

    def __init__(
        self,
        secret: bytes,
        *,
        ttl: timedelta = DEFAULT_TTL,
        clock: Callable[[], datetime] = utc_now,
    ) -> None:
        if not secret:
            raise ValueError("the token secret must not be empty")
        self._secret = secret
        self.ttl = ttl
        self.clock = clock

    def encode(self, position: Position) -> tuple[str, datetime]:
        """The token for ``position`` (its ``expires`` reset to now + ttl) and its expiry."""
        expires = int((self.clock() + self.ttl).timestamp())
        p = position  # its fields in order, expires replaced (astuple deep-copies each)
        values = [_FORMAT, p.verb, p.prefix, p.set_spec, p.from_, p.until, p.after, p.upto,
                  p.cursor, p.size, expires]
        raw = json.dumps(values, separators=(",", ":"), ensure_ascii=True)
        payload = _b64(raw.encode("ascii"))
        token = f"{payload}.{self._mac(payload)}"
        return token, datetime.fromtimestamp(expires, tz=timezone.utc)

    def decode(self, token: str, verb: str) -> Position:
        """The position in ``token``, checked; raises BadResumptionToken (module docstring)."""
        payload, dot, mac = token.partition(".")
        if not dot or not payload or not hmac.compare_digest(
            mac.encode("ascii", "replace"), self._mac(payload).encode("ascii")
        ):
            raise BadResumptionToken("the resumptionToken is not one this repository issued")
        try:
            values = json.loads(_unb64(payload))
            position = _position(values)
        except (ValueError, TypeError, binascii.Error) as exc:
            raise BadResumptionToken("the resumptionToken is malformed") from exc
        if position.verb != verb:
            raise BadResumptionToken(f"the resumptionToken belongs to {position.verb}")
        if position.expires < self.clock().timestamp():
            raise BadResumptionToken("the resumptionToken has expired")
        return position

    def _mac(self, payload: str) -> str:
        return _b64(hmac.digest(self._secret, payload.encode("ascii", "replace"), "sha256"))


def _position(values: object) -> Position:
    if not isinstance(values, list) or len(values) != 11 or values[0] != _FORMAT:
        raise ValueError("unknown token layout")
    verb, prefix, set_spec, from_, until, after, upto, cursor, size, expires = values[1:]
    for text in (prefix, set_spec, from_, until):
        if text is not None and not isinstance(text, str):
            raise ValueError("bad argument in token")
    numbers = (upto, cursor, size, expires)
    if not isinstance(verb, str) or not all(type(n) is int for n in numbers):
        raise ValueError("bad numbers in token")
    if type(after) is not int and not isinstance(after, str):
        raise ValueError("bad position in token")
    return Position(verb, prefix, set_spec, from_, until, after, upto, cursor, size, expires)


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))

"""repository.oai.tokens: signed, expiring, verb-bound resumption tokens."""

from __future__ import annotations

import base64
import json
import re
from dataclasses import replace
from datetime import timedelta

import pytest

from harvester.shared.protocol import BadResumptionToken
from repository.oai.tokens import Position, TokenCodec
from tests.oai_fixtures import Clock

POS = Position("ListRecords", "oai_dc", "course:C1", "2026-01-01T00:00:00Z", None,
               after=42, upto=99, cursor=100, size=250)


def test_round_trip_keeps_arguments_and_position() -> None:
    clock = Clock()
    codec = TokenCodec(b"k1", clock=clock)
    token, expires = codec.encode(POS)
    back = codec.decode(token, "ListRecords")
    assert replace(back, expires=0) == POS
    assert expires - clock() >= timedelta(hours=24)
    assert re.fullmatch(r"[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+", token)
    assert len(token) < 200


def test_sets_position_is_a_string() -> None:
    codec = TokenCodec(b"k1")
    pos = Position("ListSets", None, None, None, None, "owner:x", 0, 3, 9)
    assert codec.decode(codec.encode(pos)[0], "ListSets").after == "owner:x"


def _flip(token: str, at: int) -> str:
    ch = token[at]
    return token[:at] + ("A" if ch != "A" else "B") + token[at + 1:]


@pytest.mark.parametrize("where", [0, 5, -1, -10])
def test_any_flipped_character_is_refused(where: int) -> None:
    codec = TokenCodec(b"k1")
    token, _ = codec.encode(POS)
    at = where % len(token)
    if token[at] == ".":
        at += 1
    with pytest.raises(BadResumptionToken):
        codec.decode(_flip(token, at), "ListRecords")


def test_token_forged_with_another_secret_is_refused() -> None:
    forged, _ = TokenCodec(b"attacker").encode(replace(POS, after=0, cursor=0))
    with pytest.raises(BadResumptionToken, match="not one this repository issued"):
        TokenCodec(b"k1").decode(forged, "ListRecords")


def test_rewritten_payload_with_old_mac_is_refused() -> None:
    codec = TokenCodec(b"k1")
    token, _ = codec.encode(POS)
    payload, mac = token.split(".")
    values = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    values[6] = 0  # rewind the keyset position
    raw = json.dumps(values, separators=(",", ":")).encode()
    evil = base64.urlsafe_b64encode(raw).rstrip(b"=").decode() + "." + mac
    with pytest.raises(BadResumptionToken):
        codec.decode(evil, "ListRecords")


def test_expired_token_is_refused() -> None:
    clock = Clock()
    codec = TokenCodec(b"k1", ttl=timedelta(hours=24), clock=clock)
    token, _ = codec.encode(POS)
    clock.advance(24 * 3600 - 1)
    assert codec.decode(token, "ListRecords").after == 42
    clock.advance(2)
    with pytest.raises(BadResumptionToken, match="expired"):
        codec.decode(token, "ListRecords")


def test_token_for_another_verb_is_refused() -> None:
    codec = TokenCodec(b"k1")
    token, _ = codec.encode(POS)
    with pytest.raises(BadResumptionToken, match="ListRecords"):
        codec.decode(token, "ListIdentifiers")


@pytest.mark.parametrize("garbage", ["", ".", "abc", "abc.def", "é.é", "a" * 500, "%00.%00"])
def test_garbage_is_refused(garbage: str) -> None:
    with pytest.raises(BadResumptionToken):
        TokenCodec(b"k1").decode(garbage, "ListRecords")


def test_signed_but_malformed_payload_is_refused() -> None:
    codec = TokenCodec(b"k1")
    payload = base64.urlsafe_b64encode(b'[1,"ListRecords"]').rstrip(b"=").decode()
    token = f"{payload}.{codec._mac(payload)}"
    with pytest.raises(BadResumptionToken, match="malformed"):
        codec.decode(token, "ListRecords")


def test_empty_secret_is_refused() -> None:
    with pytest.raises(ValueError):
        TokenCodec(b"")

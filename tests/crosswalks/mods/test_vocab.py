"""The MODS vocabulary tables cover everything the writer must express."""

from __future__ import annotations

from crosswalks.mods.vocab import IDENTIFIER_TYPES, ROLE_CODES, ROLE_TEXTS
from crosswalks.rli import CreatorRole, IdentifierType


def test_every_role_has_a_relator_code_and_a_word() -> None:
    assert set(ROLE_CODES.values()) == set(CreatorRole)
    assert set(ROLE_TEXTS.values()) == set(CreatorRole)
    assert all(len(code) == 3 and code.islower() for code in ROLE_CODES)


def test_every_role_word_is_its_own_enum_value() -> None:
    for role in CreatorRole:
        assert ROLE_TEXTS[role.value] is role


def test_identifier_types_name_every_standard_kind_but_other() -> None:
    assert set(IDENTIFIER_TYPES.values()) == set(IdentifierType) - {IdentifierType.OTHER}
    assert all(name == name.lower() for name in IDENTIFIER_TYPES)

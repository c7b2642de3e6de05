"""IMS CP member names that extract on every file system, not only a case-sensitive one.

A package is unzipped by people and by LMS importers on Windows and macOS, whose file
systems fold case and keep device names: ``lists/Law.xml`` and ``lists/law.xml`` were
one file there (the second list overwrote the first), and ``lists/CON.xml`` cannot be
created on Windows at all.
"""

from __future__ import annotations

import io
import zipfile

from lxml import etree

from crosswalks.ims_cp import read_package, write_package
from crosswalks.validation import validate

_DEVICES = {"con", "prn", "aux", "nul", *(f"com{n}" for n in range(10)),
            *(f"lpt{n}" for n in range(10))}


def _doc(n: int) -> bytes:
    return f'<?xml version="1.0" encoding="UTF-8"?>\n<list n="{n}"/>'.encode()


def _members(data: bytes) -> list[str]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        validate(etree.fromstring(archive.read("imsmanifest.xml")), "imscp")
        return archive.namelist()


def test_identifiers_differing_in_case_get_names_that_differ_without_case() -> None:
    docs = [("Law", _doc(1)), ("law", _doc(2)), ("LAW", _doc(3)), ("hist", _doc(4))]
    data = write_package(docs)
    names = _members(data)
    assert len({n.lower() for n in names}) == len(names) == 5
    assert "lists/Law.xml" in names and "lists/hist.xml" in names  # the first keeps its name
    assert read_package(data) == docs


def test_windows_device_names_are_not_member_names() -> None:
    devices = ["CON", "nul", "Com1", "lpt9", "aux", "con.v2"]
    docs = [(ident, _doc(n)) for n, ident in enumerate(devices)]
    data = write_package(docs)
    stems = [n.rpartition("/")[2].partition(".")[0].lower() for n in _members(data)]
    assert not set(stems) & _DEVICES
    assert read_package(data) == docs


def test_names_that_only_start_like_a_device_keep_their_name() -> None:
    docs = [("contract-law", _doc(1)), ("nursing", _doc(2)), ("aux2", _doc(3))]
    names = _members(write_package(docs))
    assert names[1:] == ["lists/contract-law.xml", "lists/nursing.xml", "lists/aux2.xml"]


def test_the_same_documents_still_give_the_same_bytes() -> None:
    docs = [("Law", _doc(1)), ("law", _doc(2)), ("CON", _doc(3))]
    assert write_package(docs) == write_package(list(docs))


def test_a_list_named_as_another_lists_digest_gets_a_name_of_its_own() -> None:
    # found in review: the digest name given to a clashing id was not itself checked
    import hashlib

    digest = hashlib.sha256(b"econ").hexdigest()  # the name "econ" takes after "Econ"
    assert digest[0].isalpha()  # (one starting with a digit would be escaped: _x0038_...)
    docs = [(digest, _doc(3)), ("Econ", _doc(1)), ("econ", _doc(2))]
    data = write_package(docs)
    names = _members(data)
    assert len({n.lower() for n in names}) == len(names) == 4
    assert read_package(data) == docs

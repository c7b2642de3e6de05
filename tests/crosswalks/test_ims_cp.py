"""IMS Content Packages: round trips, the manifest schema, and every kind of hostile zip."""

from __future__ import annotations

import io
import struct
import time
import tracemalloc
import warnings
import zipfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from lxml import etree

from crosswalks import ims_cp
from crosswalks.ims_cp import PackageError, read_package, write_package
from crosswalks.validation import validate
from tests import paths

SAMPLES = paths.SAMPLES
CP = "{http://www.imsglobal.org/xsd/imscp_v1p1}"
XML_DECL = b'<?xml version="1.0" encoding="UTF-8"?>\n'


def _doc(n: int) -> bytes:
    """A small stand-in RLI document; distinct per n so mix-ups show."""
    root = etree.Element(
        "{http://www.imsglobal.org/services/rli/xsd/imsRLIManDataSchema_v1p0}resourceList"
    )
    root.set("n", str(n))
    root.text = f"list {n} — café ☕"
    return XML_DECL + etree.tostring(root, encoding="UTF-8")


DOCS = [("hist2041", _doc(1)), ("oai:rli.example.org:list/7", _doc(2)), ("2026 Ünïcode", _doc(3))]


def _zip(members: list[tuple[str, bytes]], method: int = zipfile.ZIP_DEFLATED) -> bytes:
    buffer = io.BytesIO()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # duplicate names are deliberate in one test
        with zipfile.ZipFile(buffer, "w", compression=method) as archive:
            for name, data in members:
                archive.writestr(name, data)
    return buffer.getvalue()


def _manifest(resources: str, *, base: str = "") -> bytes:
    xml_base = f' xml:base="{base}"' if base else ""
    return (
        '<manifest xmlns="http://www.imsglobal.org/xsd/imscp_v1p1" identifier="M1">'
        f"<organizations/><resources{xml_base}>{resources}</resources></manifest>"
    ).encode()


def _rli_resource(ident: str, href: str) -> str:
    return (
        f'<resource identifier="{ident}" type="imsrli_xmlv1p0" href="{href}">'
        f'<file href="{href}"/></resource>'
    )


def _patch_central(
    data: bytes, name: str, *, file_size: int = -1, compress_size: int = -1
) -> bytes:
    """Rewrite the sizes a zip's central directory declares for member ``name``."""
    out = bytearray(data)
    pos = out.find(b"PK\x01\x02")
    while pos != -1:
        name_len = struct.unpack_from("<H", out, pos + 28)[0]
        if out[pos + 46 : pos + 46 + name_len] == name.encode():
            if compress_size >= 0:
                struct.pack_into("<I", out, pos + 20, compress_size)
            if file_size >= 0:
                struct.pack_into("<I", out, pos + 24, file_size)
            return bytes(out)
        pos = out.find(b"PK\x01\x02", pos + 4)
    raise AssertionError(f"{name} not in central directory")


# --- writing and reading back ---------------------------------------------------------------


def test_round_trip_is_byte_identical_and_ordered() -> None:
    assert read_package(write_package(DOCS)) == DOCS


def test_same_documents_give_same_bytes() -> None:
    assert write_package(DOCS) == write_package(list(DOCS))
    assert write_package(DOCS) != write_package(list(reversed(DOCS)))


def test_zip_layout_manifest_first_fixed_times_documents_stored_verbatim() -> None:
    with zipfile.ZipFile(io.BytesIO(write_package(DOCS))) as archive:
        infos = archive.infolist()
        assert infos[0].filename == "imsmanifest.xml"
        assert {i.date_time for i in infos} == {(1980, 1, 1, 0, 0, 0)}
        names = [i.filename for i in infos[1:]]
        assert all(n.startswith("lists/") and n.endswith(".xml") for n in names)
        assert [archive.read(n) for n in names] == [d for _, d in DOCS]


def test_manifest_is_valid_ims_cp_and_names_each_list() -> None:
    with zipfile.ZipFile(io.BytesIO(write_package(DOCS))) as archive:
        manifest = etree.fromstring(archive.read("imsmanifest.xml"))
        members = set(archive.namelist())
    validate(manifest, "imscp")
    resources = manifest.findall(f"{CP}resources/{CP}resource")
    assert len(resources) == len(DOCS)
    for res in resources:
        assert res.get("type") == "imsrli_xmlv1p0"
        files = [f.get("href") for f in res.findall(f"{CP}file")]
        assert files == [res.get("href")]
        assert res.get("href") in members
    assert resources[0].get("identifier") == "hist2041"
    assert resources[0].get("href") == "lists/hist2041.xml"


def test_empty_package_is_valid_and_reads_empty() -> None:
    data = write_package([])
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        validate(etree.fromstring(archive.read("imsmanifest.xml")), "imscp")
    assert read_package(data) == []


@settings(max_examples=200, deadline=None)
@given(st.text(min_size=1, max_size=40))
def test_any_identifier_escapes_to_an_ncname_and_back(identifier: str) -> None:
    escaped = ims_cp.escape_id(identifier)
    assert ims_cp.unescape_id(escaped) == identifier
    # An NCName of ASCII name characters: what xsd:ID and a portable file name both accept.
    assert escaped[0].isalpha() or escaped[0] == "_"
    assert all(c.isascii() and (c.isalnum() or c in "._-") for c in escaped)


def test_long_identifier_gets_a_hashed_file_name_and_still_round_trips() -> None:
    docs = [("x" * 500, _doc(1)), ("y" * 500, _doc(2))]
    data = write_package(docs)
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        assert all(len(n) < 80 for n in archive.namelist())
    assert read_package(data) == docs


@pytest.mark.parametrize(
    ("docs", "message"),
    [
        ([("", _doc(1))], "empty"),
        ([("a", _doc(1)), ("a", _doc(2))], "twice"),
        ([("a", b"not xml <")], "well-formed"),
        ([("a", b"")], "well-formed"),
    ],
)
def test_write_refuses_bad_documents(docs: list[tuple[str, bytes]], message: str) -> None:
    with pytest.raises(PackageError, match=message):
        write_package(docs)


def test_write_refuses_a_document_that_would_read_as_a_bomb() -> None:
    bomb = XML_DECL + b"<a>" + b" " * (5 * 1024 * 1024) + b"</a>"
    with pytest.raises(PackageError, match="inflates"):
        write_package([("a", bomb)])


def test_real_list_round_trips_through_rli_xml() -> None:
    rli_xml = pytest.importorskip("crosswalks.rli.binding")
    if not hasattr(rli_xml, "write_list"):
        pytest.skip("crosswalks.rli.binding.write_list not there yet")
    from tests.factories import make_list

    lists = [make_list("hist2041", items=5), make_list("oai:x:soc1001", items=2, title="Soc")]
    docs = [(lst.identifier, rli_xml.write_list(lst)) for lst in lists]
    back = read_package(write_package(docs))
    assert [ident for ident, _ in back] == [lst.identifier for lst in lists]
    assert [rli_xml.read_list(doc) for _, doc in back] == lists


# --- reading packages made elsewhere --------------------------------------------------------


def test_foreign_package_with_xml_base_and_encoded_href() -> None:
    manifest = _manifest(_rli_resource("R1", "my%20list.xml"), base="lists/")
    data = _zip([("imsmanifest.xml", manifest), ("lists/my list.xml", _doc(9))])
    assert read_package(data) == [("R1", _doc(9))]


def test_other_resource_types_are_ignored() -> None:
    resources = '<resource identifier="W" type="webcontent" href="index.html"/>' + _rli_resource(
        "L", "l.xml"
    )
    data = _zip([("imsmanifest.xml", _manifest(resources)), ("l.xml", _doc(1))])
    assert read_package(data) == [("L", _doc(1))]


def test_real_scorm_manifest_without_lists_reads_empty() -> None:
    manifest = (SAMPLES / "lom" / "rustici-golf-metadata-imsmanifest.xml").read_bytes()
    assert read_package(_zip([("imsmanifest.xml", manifest)])) == []


# --- hostile and broken packages ------------------------------------------------------------


def _good_members() -> list[tuple[str, bytes]]:
    return [
        ("imsmanifest.xml", _manifest(_rli_resource("L", "lists/l.xml"))),
        ("lists/l.xml", _doc(1)),
    ]


def test_the_good_members_read() -> None:
    assert read_package(_zip(_good_members())) == [("L", _doc(1))]


@pytest.mark.parametrize(
    "data",
    [b"", b"not a zip at all", b"PK\x03\x04" + b"\0" * 40, _zip(_good_members())[:-30]],
    ids=["empty", "text", "bare-header", "truncated"],
)
def test_not_a_zip(data: bytes) -> None:
    with pytest.raises(PackageError):
        read_package(data)


def test_not_bytes() -> None:
    with pytest.raises(PackageError):
        read_package("PK")  # type: ignore[arg-type]


@pytest.mark.parametrize(
    "name",
    [
        "../evil.xml",
        "lists/../../evil.xml",
        "/etc/passwd",
        "lists\\..\\evil.xml",
        "C:/windows/evil.xml",
        "c:evil.xml",
    ],
)
def test_member_path_traversal_is_refused(name: str) -> None:
    with pytest.raises(PackageError, match="unsafe path"):
        read_package(_zip([*_good_members(), (name, b"x")]))


@pytest.mark.parametrize(
    "href",
    ["../evil.xml", "lists/../../evil.xml", "/lists/l.xml", "lists%5C..%5Cl.xml", "%2E%2E/l.xml"],
)
def test_manifest_href_traversal_is_refused(href: str) -> None:
    members = [("imsmanifest.xml", _manifest(_rli_resource("L", href))), ("lists/l.xml", _doc(1))]
    with pytest.raises(PackageError, match="unsafe path"):
        read_package(_zip(members))


def test_xml_base_traversal_is_refused() -> None:
    manifest = _manifest(_rli_resource("L", "l.xml"), base="../")
    with pytest.raises(PackageError, match="unsafe path"):
        read_package(_zip([("imsmanifest.xml", manifest), ("l.xml", _doc(1))]))


@pytest.mark.parametrize(
    "href", ["http://evil.example/l.xml", "//evil.example/l.xml", "file:///l.xml"]
)
def test_external_href_is_refused(href: str) -> None:
    members = [("imsmanifest.xml", _manifest(_rli_resource("L", href))), ("lists/l.xml", _doc(1))]
    with pytest.raises(PackageError, match="outside the package"):
        read_package(_zip(members))


def test_href_to_missing_file_is_refused() -> None:
    members = [("imsmanifest.xml", _manifest(_rli_resource("L", "lists/gone.xml")))]
    with pytest.raises(PackageError, match="not in the package"):
        read_package(_zip(members))


@pytest.mark.parametrize(
    ("manifest", "message"),
    [
        (None, "no imsmanifest.xml"),
        (b"<manifest", "invalid"),
        (b'<manifest xmlns="http://www.imsglobal.org/xsd/imscp_v1p1" identifier="M"/>', "invalid"),
        (b'<manifest identifier="M"><organizations/><resources/></manifest>', "not an IMS CP"),
        (
            b'<!DOCTYPE m [<!ENTITY e "x">]><manifest xmlns="http://www.imsglobal.org/xsd/'
            b'imscp_v1p1" identifier="M"><organizations/><resources/></manifest>',
            "entity",
        ),
    ],
    ids=["missing", "not-well-formed", "schema-invalid", "wrong-namespace", "entities"],
)
def test_bad_manifest_is_refused(manifest: bytes | None, message: str) -> None:
    members = [("lists/l.xml", _doc(1))]
    if manifest is not None:
        members.append(("imsmanifest.xml", manifest))
    with pytest.raises(PackageError, match=message):
        read_package(_zip(members))


def test_manifest_in_a_subfolder_does_not_count() -> None:
    with pytest.raises(PackageError, match="no imsmanifest.xml"):
        read_package(_zip([("sub/imsmanifest.xml", _good_members()[0][1])]))


@contextmanager
def _peak_memory() -> Iterator[Callable[[], int]]:
    """How far Python's allocations rose inside the block above where they were at its
    start (tracemalloc; left running if it was already, as under PYTHONTRACEMALLOC)."""
    started = not tracemalloc.is_tracing()
    if started:
        tracemalloc.start()
    tracemalloc.reset_peak()
    base = tracemalloc.get_traced_memory()[0]
    peak = [0]
    try:
        yield lambda: peak[0]
    finally:
        peak[0] = tracemalloc.get_traced_memory()[1] - base
        if started:
            tracemalloc.stop()


def test_bomb_member_is_refused_quickly() -> None:
    bomb = b"\0" * (15 * 1024 * 1024)  # deflates to about 15 KB
    data = _zip([*_good_members(), ("lists/bomb.xml", bomb)])
    assert len(data) < 100_000
    with _peak_memory() as peak, pytest.raises(PackageError, match="inflates"):
        read_package(data)
    assert peak() < 1 << 20  # refused from its header: not a byte of it inflated


def test_oversized_member_is_refused() -> None:
    data = _zip([*_good_members(), ("lists/big.xml", b"\0" * (21 * 1024 * 1024))])
    with pytest.raises(PackageError, match="larger than"):
        read_package(data)


def test_declared_total_over_the_limit_is_refused() -> None:
    members = [*_good_members(), *((f"lists/{n}.xml", b"x") for n in range(8))]
    data = _zip(members, zipfile.ZIP_STORED)
    for n in range(8):  # each declares 15 MB from 1 MB: per member fine, ratio fine, total not
        data = _patch_central(data, f"lists/{n}.xml", file_size=15 << 20, compress_size=1 << 20)
    with pytest.raises(PackageError, match="total"):
        read_package(data)


def test_member_that_inflates_past_its_declared_size_is_cut_off() -> None:
    data = _zip([*_good_members()[:1], ("lists/l.xml", b"<a>" + b"\0" * (8 << 20) + b"</a>")])
    data = _patch_central(data, "lists/l.xml", file_size=1000)  # a lying header
    with _peak_memory() as peak, pytest.raises(PackageError, match="corrupt|declared size"):
        read_package(data)
    assert peak() < 1 << 20  # cut off after its declared size, not inflated whole (8 MB)


@pytest.mark.parametrize("delta", [-5, 5])
def test_wrong_declared_size_is_refused(delta: int) -> None:
    data = _zip(_good_members())
    data = _patch_central(data, "lists/l.xml", file_size=len(_doc(1)) + delta)
    with pytest.raises(PackageError, match="corrupt|declared size"):
        read_package(data)


def test_corrupt_member_bytes_fail_the_crc() -> None:
    data = _zip(_good_members(), zipfile.ZIP_STORED)
    doc = _doc(1)
    at = data.index(doc) + len(doc) // 2
    damaged = data[:at] + bytes([data[at] ^ 0x20]) + data[at + 1 :]
    with pytest.raises(PackageError, match="corrupt"):
        read_package(damaged)


def test_too_many_members_is_refused() -> None:
    members = [*_good_members(), *((f"m/{n}", b"") for n in range(ims_cp.MAX_MEMBERS))]
    with pytest.raises(PackageError, match="more than"):
        read_package(_zip(members, zipfile.ZIP_STORED))


def test_duplicate_member_names_are_refused() -> None:
    with pytest.raises(PackageError, match="twice"):
        read_package(_zip([*_good_members(), ("lists/l.xml", _doc(2))]))


def test_other_compression_methods_are_refused() -> None:
    with pytest.raises(PackageError, match="compression"):
        read_package(_zip(_good_members(), zipfile.ZIP_BZIP2))


def test_encrypted_member_is_refused() -> None:
    data = bytearray(_zip(_good_members(), zipfile.ZIP_STORED))
    pos = data.find(b"PK\x01\x02")
    struct.pack_into("<H", data, pos + 8, struct.unpack_from("<H", data, pos + 8)[0] | 1)
    with pytest.raises(PackageError, match="encrypted"):
        read_package(bytes(data))


def test_many_resources_over_one_member_are_refused_at_once() -> None:
    # 5,000 resources naming one member used to return it 5,000 times (parsed 5,000 times
    # on import: 66 s)
    resources = "".join(_rli_resource(f"L{n}", "lists/l.xml") for n in range(5000))
    package = _zip([("imsmanifest.xml", _manifest(resources)), ("lists/l.xml", _doc(1))])
    started = time.process_time()  # CPU, not wall: a loaded machine does not fail it
    with pytest.raises(PackageError, match="more than one list"):
        read_package(package)
    assert time.process_time() - started < 2

"""IMS Content Packaging 1.1.4 zips holding RLI resource lists (the RLI transfer wrapper).

A package is a zip with ``imsmanifest.xml`` at its root and one file per list
under ``lists/``. Each list is a manifest ``<resource type="imsrli_xmlv1p0">``
whose ``identifier`` is the list identifier made into an XML ID (below), with
``href`` and one ``<file href>`` naming the document, which is stored byte for
byte. ``<organizations/>`` is empty: the lists are data, not a course tree.

Identifiers: ``xsd:ID`` admits only NCNames, so characters outside
``[A-Za-z0-9._-]`` (and a leading digit, dot or hyphen, and the ``_x`` of a
literal ``_x``) are written ``_xHHHH_`` (``_xHHHHHHHH_`` above U+FFFF), the
ISO/IEC 9075-14 (SQL/XML) name escape; ``oai:x:1`` becomes ``oai_x003A_x_x003A_1``.
Reading undoes it, so any identifier round-trips. The file is
``lists/<escaped id>.xml``, or ``lists/<sha256 of id>.xml`` when that would
be longer than :data:`MAX_NAME`, be a Windows device name (``CON``, ``nul``...),
or differ only in case from an earlier list's file: packages are unzipped on
file systems that fold case, where ``Law.xml`` would overwrite ``law.xml``.

Writing is deterministic: fixed member order (manifest first), fixed
timestamps (1980-01-01), fixed permissions, deflate; the same documents give
the same bytes.

Reading trusts nothing. It refuses, with :class:`PackageError`: data that is
not a zip; a member name that is absolute, has a drive letter, a backslash or
a ``..`` segment, or appears twice; encrypted members or compression other
than stored/deflate; more than :data:`MAX_MEMBERS` members; a member larger
than :data:`MAX_MEMBER_BYTES` or all members together larger than
:data:`MAX_TOTAL_BYTES` (declared sizes are checked first, and every read is
capped, so a lying header cannot get past); a member over :data:`RATIO_FLOOR`
bytes that inflates more than :data:`MAX_RATIO` times; a member whose bytes do
not match its declared size or CRC; a missing, unparsable or schema-invalid
manifest; an RLI resource whose href is external or names a missing file, or
names a file another RLI resource names already (one file, one list: a
manifest of 5,000 resources over one member would otherwise have it read as
5,000 lists).
Resources of other types, and sub-manifests, are ignored. The RLI documents
themselves are returned unparsed.

Exception tree::

    PackageError       the package cannot be written or read safely (message says why)
"""

from __future__ import annotations

import hashlib
import io
import posixpath
import re
import zipfile
import zlib
from collections.abc import Sequence
from urllib.parse import unquote, urljoin, urlsplit

from lxml import etree

from crosswalks.validation import SchemaValidationError, validate
from crosswalks.xmlsafe import XMLInputError, parse_untrusted

CP_NS = "http://www.imsglobal.org/xsd/imscp_v1p1"
XSI_NS = "http://www.w3.org/2001/XMLSchema-instance"
XML_NS = "http://www.w3.org/XML/1998/namespace"
SCHEMA_LOCATION = f"{CP_NS} http://www.imsglobal.org/xsd/imscp_v1p1.xsd"
RLI_RESOURCE_TYPE = "imsrli_xmlv1p0"
MANIFEST = "imsmanifest.xml"
LISTS_DIR = "lists"

MAX_MEMBERS = 10_000
MAX_MEMBER_BYTES = 20 * 1024 * 1024
MAX_TOTAL_BYTES = 100 * 1024 * 1024
MAX_RATIO = 200
RATIO_FLOOR = 1024 * 1024
MAX_NAME = 200
# Bytes of central directory allowed a member: 46 fixed, its name, extra field and comment.
_DIRECTORY_ENTRY = 512

_FIXED_TIME = (1980, 1, 1, 0, 0, 0)
_NAME_OK = re.compile(r"[A-Za-z0-9._-]")
_NAME_START_OK = re.compile(r"[A-Za-z_]")
_ESCAPE = re.compile(r"_x([0-9A-F]{4}|[0-9A-F]{8})_")
# Names Windows keeps for devices, whatever the extension after them.
_DEVICE = re.compile(r"(?:CON|PRN|AUX|NUL|COM[0-9]|LPT[0-9])(?:\..*)?", re.IGNORECASE)
_ALLOWED_METHODS = frozenset({zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED})
_CHUNK = 64 * 1024


class PackageError(ValueError):
    """A content package cannot be written or read safely; the message says why."""


def escape_id(identifier: str) -> str:
    """``identifier`` as an NCName, escaping as ``_xHHHH_`` (reversed by :func:`unescape_id`)."""
    out: list[str] = []
    for pos, char in enumerate(identifier):
        literal_x = char == "_" and identifier[pos + 1 : pos + 2] == "x"
        allowed = _NAME_START_OK if pos == 0 else _NAME_OK
        if allowed.fullmatch(char) and not literal_x:
            out.append(char)
        else:
            code = ord(char)
            out.append(f"_x{code:04X}_" if code <= 0xFFFF else f"_x{code:08X}_")
    return "".join(out)


def unescape_id(name: str) -> str:
    """The identifier :func:`escape_id` made ``name`` from."""
    return _ESCAPE.sub(lambda m: chr(int(m.group(1), 16)), name)


def _file_names(escaped_ids: Sequence[str]) -> list[str]:
    """A member name per escaped identifier, unique even where a file system folds case."""
    names: list[str] = []
    taken: set[str] = set()
    for escaped in escaped_ids:
        stem = escaped
        if len(stem) > MAX_NAME or _DEVICE.fullmatch(stem) or stem.lower() in taken:
            stem = hashlib.sha256(escaped.encode("ascii")).hexdigest()
        hashed, n = stem, 1
        while stem.lower() in taken:  # a list named as another's digest
            n += 1
            stem = f"{hashed}-{n}"
        taken.add(stem.lower())
        names.append(f"{LISTS_DIR}/{stem}.xml")
    return names


def _cp(parent: etree._Element, tag: str, text: str = "", **attrs: str) -> etree._Element:
    el = etree.SubElement(parent, f"{{{CP_NS}}}{tag}", attrs)
    if text:
        el.text = text
    return el


def build_manifest(entries: Sequence[tuple[str, str]], manifest_id: str) -> etree._Element:
    """The ``<manifest>`` for (escaped identifier, file name) pairs, in order."""
    # CP content is written in the default namespace, as packaging tools expect.
    nsmap = {None: CP_NS, "xsi": XSI_NS}
    root = etree.Element(f"{{{CP_NS}}}manifest", nsmap=nsmap)  # type: ignore[arg-type]
    root.set("identifier", manifest_id)
    root.set(f"{{{XSI_NS}}}schemaLocation", SCHEMA_LOCATION)
    meta = _cp(root, "metadata")
    _cp(meta, "schema", "IMS Content")
    _cp(meta, "schemaversion", "1.1.4")
    _cp(root, "organizations")
    resources = _cp(root, "resources")
    for ident, name in entries:
        res = _cp(resources, "resource", identifier=ident, type=RLI_RESOURCE_TYPE, href=name)
        _cp(res, "file", href=name)
    return root


def _zip_info(name: str) -> zipfile.ZipInfo:
    info = zipfile.ZipInfo(name, date_time=_FIXED_TIME)
    info.compress_type = zipfile.ZIP_DEFLATED
    info.create_system = 3
    info.external_attr = 0o644 << 16
    return info


def _check_document(identifier: str, document: bytes) -> None:
    if not identifier:
        raise PackageError("a list identifier is empty")
    if not isinstance(document, bytes):
        raise PackageError(f"list {identifier!r}: the document must be bytes")
    try:
        parse_untrusted(document, source=f"list {identifier!r}")
    except XMLInputError as exc:
        raise PackageError(f"list {identifier!r} is not well-formed XML: {exc}") from exc


def write_package(documents: Sequence[tuple[str, bytes]]) -> bytes:
    """A zip holding ``imsmanifest.xml`` and each (identifier, RLI XML bytes) document, in order.

    Raises :class:`PackageError` for an empty or repeated identifier, a
    document that is not well-formed XML, or a package over the read limits
    (so every package written here can be read back).
    """
    escaped: list[str] = []
    seen: set[str] = set()
    total = 0
    for identifier, document in documents:
        _check_document(identifier, document)
        if identifier in seen:
            raise PackageError(f"list {identifier!r} appears twice")
        seen.add(identifier)
        total += len(document)
        escaped.append(escape_id(identifier))
    entries = list(zip(escaped, _file_names(escaped)))
    if len(entries) + 1 > MAX_MEMBERS or total > MAX_TOTAL_BYTES:
        raise PackageError("too many or too large lists for one package")
    digest = hashlib.sha256()
    for (ident, _), (_, document) in zip(entries, documents):
        digest.update(ident.encode("ascii") + b"\0" + hashlib.sha256(document).digest())
    manifest_id = f"MANIFEST-{digest.hexdigest()[:32]}"
    if manifest_id in {ident for ident, _ in entries}:
        raise PackageError(f"a list identifier collides with the manifest identifier {manifest_id}")
    manifest = etree.tostring(
        build_manifest(entries, manifest_id),
        xml_declaration=True,
        encoding="UTF-8",
        pretty_print=True,
    )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr(_zip_info(MANIFEST), manifest)
        for (_, name), (_, document) in zip(entries, documents):
            archive.writestr(_zip_info(name), document)
        # A document that compresses like a zip bomb would be refused on reading.
        _check_members(archive)
    return buffer.getvalue()


def _check_name(name: str, *, allow_empty: bool = False) -> None:
    """Refuse member and href paths that could land outside the extraction directory."""
    segments = name.split("/")
    if (
        (not name and not allow_empty)
        or "\\" in name
        or "\0" in name
        or name.startswith("/")
        or re.match(r"^[A-Za-z]:", name)
        or ".." in segments
    ):
        raise PackageError(f"unsafe path in package: {name!r}")


def _check_directory(data: bytes) -> None:
    """Refuse a central directory larger than MAX_MEMBERS entries need, as its end record
    declares it, before zipfile reads it whole (400,000 one-letter entries in 19 MB:
    3 s and 200 MB, for a refusal). A record zipfile cannot find is left to it."""
    at = data.rfind(b"PK\x05\x06", max(0, len(data) - 22 - 0xFFFF))
    if at < 0 or len(data) < at + 22:
        return
    count = int.from_bytes(data[at + 10:at + 12], "little")
    size = int.from_bytes(data[at + 12:at + 16], "little")
    zip64 = data[max(0, at - 76):at - 20]  # where zipfile reads a ZIP64 end record
    if len(zip64) == 56 and zip64[:4] == b"PK\x06\x06":
        count = max(count, int.from_bytes(zip64[32:40], "little"))
        size = max(size, int.from_bytes(zip64[40:48], "little"))
    if count > MAX_MEMBERS or size > MAX_MEMBERS * _DIRECTORY_ENTRY:
        raise PackageError(f"more than {MAX_MEMBERS} members (its index declares {count:,}"
                           f" in {size:,} bytes)")


def _check_members(archive: zipfile.ZipFile) -> dict[str, zipfile.ZipInfo]:
    infos = archive.infolist()
    if len(infos) > MAX_MEMBERS:
        raise PackageError(f"more than {MAX_MEMBERS} members")
    members: dict[str, zipfile.ZipInfo] = {}
    total = 0
    for info in infos:
        _check_name(info.filename)
        if info.filename in members:
            raise PackageError(f"member {info.filename!r} appears twice")
        if info.flag_bits & 0x1:
            raise PackageError(f"member {info.filename!r} is encrypted")
        if info.compress_type not in _ALLOWED_METHODS:
            raise PackageError(f"member {info.filename!r}: compression method not accepted")
        if info.file_size > MAX_MEMBER_BYTES:
            raise PackageError(f"member {info.filename!r} is larger than {MAX_MEMBER_BYTES} bytes")
        ratio_applies = info.file_size > RATIO_FLOOR
        if ratio_applies and info.file_size > MAX_RATIO * max(info.compress_size, 1):
            raise PackageError(f"member {info.filename!r} inflates more than {MAX_RATIO} times")
        total += info.file_size
        members[info.filename] = info
    if total > MAX_TOTAL_BYTES:
        raise PackageError(f"members total more than {MAX_TOTAL_BYTES} bytes")
    return members


def _read_member(archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> bytes:
    """The member's bytes, read in chunks and never more than its declared size plus one."""
    chunks: list[bytes] = []
    size = 0
    try:
        with archive.open(info) as stream:
            while size <= info.file_size:
                chunk = stream.read(min(_CHUNK, info.file_size + 1 - size))
                if not chunk:
                    break
                chunks.append(chunk)
                size += len(chunk)
    except (zipfile.BadZipFile, zlib.error, EOFError, OSError, NotImplementedError) as exc:
        raise PackageError(f"member {info.filename!r} is corrupt: {exc}") from exc
    if size != info.file_size:
        raise PackageError(f"member {info.filename!r} does not match its declared size")
    return b"".join(chunks)


def _manifest(archive: zipfile.ZipFile, members: dict[str, zipfile.ZipInfo]) -> etree._Element:
    if MANIFEST not in members:
        raise PackageError(f"no {MANIFEST} at the root of the package")
    try:
        root = parse_untrusted(_read_member(archive, members[MANIFEST]), source=MANIFEST)
        if root.tag != f"{{{CP_NS}}}manifest":
            raise PackageError(f"{MANIFEST} is not an IMS CP manifest: root is {root.tag}")
        validate(root, "imscp")
    except (XMLInputError, SchemaValidationError) as exc:
        raise PackageError(f"invalid {MANIFEST}: {exc}") from exc
    return root


def _href(resource: etree._Element, parent: etree._Element) -> str:
    """The package path of the resource's document, xml:base applied, checked for traversal."""
    href = resource.get("href")
    if href is None:
        first = resource.find(f"{{{CP_NS}}}file")
        href = first.get("href") if first is not None else None
    if not href:
        raise PackageError(f"resource {resource.get('identifier')!r} names no file")
    # Each piece is checked before joining, so no ".." can climb out once they are resolved.
    resolved = ""
    for piece in (parent.get(f"{{{XML_NS}}}base", ""), resource.get(f"{{{XML_NS}}}base", ""), href):
        parts = urlsplit(piece)
        if parts.scheme or parts.netloc:
            raise PackageError(f"resource {resource.get('identifier')!r} is outside the package")
        path = unquote(parts.path)
        _check_name(path, allow_empty=True)
        resolved = urljoin(resolved, path) if resolved else path
    _check_name(resolved)
    return posixpath.normpath(resolved)


def read_package(data: bytes) -> list[tuple[str, bytes]]:
    """The (list identifier, RLI XML bytes) pairs of a package, in manifest order, byte-identical.

    Raises :class:`PackageError` for anything listed in the module docstring.
    """
    if not isinstance(data, bytes) or len(data) > MAX_TOTAL_BYTES:
        raise PackageError(f"a package must be bytes and at most {MAX_TOTAL_BYTES} bytes")
    _check_directory(data)
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, zlib.error, EOFError, OSError, ValueError) as exc:
        raise PackageError(f"not a zip file: {exc}") from exc
    with archive:
        members = _check_members(archive)
        root = _manifest(archive, members)
        found: list[tuple[str, bytes]] = []
        read: dict[str, bytes] = {}
        for parent in root.iterfind(f"{{{CP_NS}}}resources"):
            for resource in parent.iterfind(f"{{{CP_NS}}}resource"):
                if resource.get("type") != RLI_RESOURCE_TYPE:
                    continue
                path = _href(resource, parent)
                if path not in members:
                    raise PackageError(f"manifest names {path!r}, which is not in the package")
                if path in read:
                    raise PackageError(f"manifest names {path!r} for more than one list")
                ident = unescape_id(resource.get("identifier", ""))
                read[path] = _read_member(archive, members[path])
                found.append((ident, read[path]))
    return found

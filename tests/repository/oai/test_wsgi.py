"""repository.oai.wsgi: routes, GET and POST, gzip, the stylesheet, hostile input never a 500."""

from __future__ import annotations

import gzip
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import etree

from crosswalks.validation import validate
from repository.archive import Archive
from repository.oai.wsgi import WHOLE, _sized, make_app
from tests.oai_fixtures import NS, SECRET, Clock, client, config, error_code, fill, new_archive


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> tuple[Archive, httpx.Client]:
    clock = Clock()
    archive = new_archive(tmp_path_factory.mktemp("wsgi") / "rli.db", clock)
    fill(archive, clock, 6)
    archive.delete("l003", editor="t", note="gone")
    return archive, client(archive, clock)


def _valid(content: bytes) -> etree._Element:
    root = etree.fromstring(content)
    validate(root, "oai-pmh")
    return root


def test_get_and_post_give_the_same_answer(served: tuple[Archive, httpx.Client]) -> None:
    _, http = served
    args = {"verb": "ListIdentifiers", "metadataPrefix": "rli"}
    got = http.get("/oai", params=args)
    posted = http.post("/oai", data=args)
    assert got.status_code == posted.status_code == 200
    ids = [_valid(r.content).findall(".//oai:identifier", NS) for r in (got, posted)]
    assert [e.text for e in ids[0]] == [e.text for e in ids[1]] and ids[0]


def test_post_with_another_content_type_is_bad_argument(
    served: tuple[Archive, httpx.Client],
) -> None:
    _, http = served
    r = http.post("/oai", content=b"verb=Identify", headers={"content-type": "text/plain"})
    assert r.status_code == 200 and error_code(_valid(r.content)) == "badArgument"


def test_oversized_post_is_bad_argument(served: tuple[Archive, httpx.Client]) -> None:
    _, http = served
    r = http.post("/oai", data={"verb": "Identify", "x": "y" * 70000})
    assert r.status_code == 200 and error_code(_valid(r.content)) == "badArgument"


def test_gzip_when_accepted(served: tuple[Archive, httpx.Client]) -> None:
    _, http = served
    r = http.get("/oai?verb=ListRecords&metadataPrefix=oai_dc",
                 headers={"accept-encoding": "gzip"})
    assert r.headers["content-encoding"] == "gzip"
    _valid(r.content)  # httpx decoded it
    plain = http.get("/oai?verb=Identify", headers={"accept-encoding": "identity"})
    assert "content-encoding" not in plain.headers
    refused = http.get("/oai?verb=Identify", headers={"accept-encoding": "gzip;q=0"})
    assert "content-encoding" not in refused.headers


def test_gzip_body_is_really_gzip(served: tuple[Archive, httpx.Client]) -> None:
    archive, _ = served
    app = make_app(archive.db, config(), secret=SECRET)
    seen: list[str] = []
    body = app({"REQUEST_METHOD": "GET", "PATH_INFO": "/oai", "QUERY_STRING": "verb=Identify",
                "HTTP_ACCEPT_ENCODING": "br, gzip"}, lambda status, headers: seen.append(status))
    assert seen == ["200 OK"]
    _valid(gzip.decompress(b"".join(body)))


def test_stylesheet_is_referenced_and_served(served: tuple[Archive, httpx.Client]) -> None:
    _, http = served
    r = http.get("/oai?verb=Identify")
    assert b'<?xml-stylesheet type="text/xsl" href="/static/oai2.xsl"?>' in r.content
    xsl = http.get("/static/oai2.xsl")
    assert xsl.status_code == 200 and xsl.headers["content-type"].startswith("text/xsl")
    etree.XSLT(etree.fromstring(xsl.content))


def test_version_documents(served: tuple[Archive, httpx.Client]) -> None:
    archive, http = served
    r = http.get("/lists/l001/versions/1.xml")
    assert r.status_code == 200 and r.headers["content-type"] == "application/xml"
    assert r.content == archive.document("l001", 1)
    deleted = http.get("/lists/l003/versions/1.xml")  # versions outlive deletion
    assert deleted.status_code == 200
    for missing in ("/lists/l001/versions/2.xml", "/lists/nope/versions/1.xml",
                    "/lists/l001/versions/0.xml", "/lists/l001/versions/x.xml"):
        assert http.get(missing).status_code == 404


@pytest.mark.parametrize(("method", "path", "status"), [
    ("PUT", "/oai", 405), ("DELETE", "/oai", 405), ("GET", "/nothing", 404),
    ("POST", "/static/oai2.xsl", 405), ("GET", "/", 302),
])
def test_other_routes(served: tuple[Archive, httpx.Client], method: str, path: str,
                      status: int) -> None:
    _, http = served
    response = http.request(method, path)
    assert response.status_code == status
    if status == 405:  # RFC 9110: a 405 says which methods the path takes
        assert response.headers["Allow"] in ("GET, HEAD, POST", "GET, HEAD")


def test_head_has_no_body(served: tuple[Archive, httpx.Client]) -> None:
    _, http = served
    r = http.head("/oai?verb=Identify")
    assert r.status_code == 200 and r.content == b""


_names = st.sampled_from(["verb", "metadataPrefix", "set", "from", "until", "identifier",
                          "resumptionToken", "x", ""])
_values = st.one_of(
    st.sampled_from(["Identify", "ListRecords", "ListSets", "GetRecord", "oai_dc", "rli",
                     "course:C1", "2026-01-05", "2026-01-05T09:00:00Z", "oai:rli.localhost:l001",
                     "%00", "%FF", "&", "="]),
    st.text(max_size=20),
)
_query = st.lists(st.tuples(_names, _values), max_size=5).map(
    lambda pairs: "&".join(f"{k}={v}" for k, v in pairs))


@settings(max_examples=150, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(query=st.one_of(_query, st.text(max_size=60)))
def test_hostile_query_strings_never_break(served: tuple[Archive, httpx.Client],
                                           query: str) -> None:
    archive, _ = served
    app = make_app(archive.db, config(), secret=SECRET)
    seen: list[str] = []
    raw = query.encode("utf-8", "surrogatepass").decode("latin-1")
    body = b"".join(app({"REQUEST_METHOD": "GET", "PATH_INFO": "/oai", "QUERY_STRING": raw},
                        lambda status, headers: seen.append(status)))
    assert seen == ["200 OK"]
    _valid(body)


def test_app_over_a_path_uses_its_own_connections(tmp_path: Path) -> None:
    clock = Clock()
    archive = new_archive(tmp_path / "rli.db", clock)
    fill(archive, clock, 2)
    app = make_app(tmp_path / "rli.db", config(), secret=SECRET)
    http = httpx.Client(transport=httpx.WSGITransport(app=app), base_url="http://oai.test")
    root = _valid(http.get("/oai?verb=ListIdentifiers&metadataPrefix=oai_dc").content)
    assert len(root.findall(".//oai:header", NS)) == 2
    assert app.provider().archive.db is not archive.db


@pytest.mark.parametrize("verb", ["GetRecord", "ListMetadataFormats"])
@pytest.mark.parametrize("identifier", ["%", "a%zz", "[x", "::"])
def test_identifiers_that_are_not_uris_keep_the_response_schema_valid(
    served: tuple[Archive, httpx.Client], verb: str, identifier: str
) -> None:
    _, http = served
    root = _valid(http.get("/oai", params={"verb": verb, "identifier": identifier,
                                            "metadataPrefix": "oai_dc"}
                           if verb == "GetRecord" else {"verb": verb, "identifier": identifier}
                           ).content)
    assert error_code(root) == "badArgument"


RLI_NS = "http://www.imsglobal.org/services/rli/xsd/imsRLIManDataSchema_v1p0"
XSI_LOCATION = "{http://www.w3.org/2001/XMLSchema-instance}schemaLocation"


def test_the_rli_schemas_are_served_and_advertised(served: tuple[Archive, httpx.Client]) -> None:
    _, http = served
    formats = _valid(http.get("/oai", params={"verb": "ListMetadataFormats"}).content)
    schema = {f.findtext("oai:metadataPrefix", namespaces=NS): f.findtext("oai:schema",
              namespaces=NS) for f in formats.iterfind(".//oai:metadataFormat", NS)}["rli"]
    assert schema == "http://oai.test/schemas/rli.xsd"
    served_xsd = http.get("/schemas/rli.xsd")
    assert served_xsd.status_code == 200 and served_xsd.content == (
        Path(__file__).resolve().parents[3] / "data" / "schemas" / "rli" / "rli.xsd").read_bytes()
    for imported in etree.fromstring(served_xsd.content).iterfind(
            "{http://www.w3.org/2001/XMLSchema}import"):
        assert http.get(f"/schemas/{imported.get('schemaLocation')}").status_code == 200


def test_rli_metadata_and_its_about_declare_their_schema_location(
    served: tuple[Archive, httpx.Client],
) -> None:
    _, http = served
    root = _valid(http.get("/oai", params={"verb": "GetRecord", "metadataPrefix": "rli",
                                            "identifier": "oai:rli.localhost:l001"}).content)
    metadata = root.find(".//oai:metadata", NS)[0]
    assert metadata.tag == f"{{{RLI_NS}}}resourceList"
    assert metadata.nsmap.get("xsi") == "http://www.w3.org/2001/XMLSchema-instance"
    pairs = metadata.get(XSI_LOCATION).split()
    assert dict(zip(pairs[::2], pairs[1::2]))[RLI_NS] == "http://oai.test/schemas/rli.xsd"
    history = root.find(".//oai:about", NS)[-1]
    assert history.get(XSI_LOCATION) == (
        "urn:x-rli:extension:1.0 http://oai.test/schemas/rli-ext.xsd")


def test_a_body_longer_than_whole_streams_and_closing_it_closes_the_source() -> None:
    """What the server gets for a long body: the same bytes, chunk by chunk, and its close()
    reaches the generator (its cursor is let go when a client leaves mid-page)."""
    closed: list[bool] = []

    def body() -> Iterator[bytes]:
        try:
            for n in range(4):
                yield bytes([65 + n]) * (WHOLE // 2)
        finally:
            closed.append(True)

    headers, streamed = _sized([("Content-Type", "text/xml")], body())
    assert headers == [("Content-Type", "text/xml")]  # no Content-Length: streamed
    chunks = iter(streamed)
    assert next(chunks) == b"A" * (WHOLE // 2)
    assert closed == []
    streamed.close()  # type: ignore[attr-defined]  # what gunicorn does after a write fails
    assert closed == [True]


class _Source:
    """An iterable with a close() of its own, its iterator a separate object."""

    def __init__(self) -> None:
        self.closed = False

    def __iter__(self) -> Iterator[bytes]:
        return iter([b"x" * WHOLE, b"y" * WHOLE])

    def close(self) -> None:
        self.closed = True


def test_bodies_in_memory_or_short_come_whole_with_their_length() -> None:
    headers, whole = _sized([], iter([b"<a/>", b"<b/>"]))
    assert (headers, list(whole)) == ([("Content-Length", "8")], [b"<a/><b/>"])
    big = b"<v>" + b"x" * (2 * WHOLE) + b"</v>"  # a version document held in memory
    headers, whole = _sized([], [big])
    assert (headers, list(whole)) == ([("Content-Length", str(len(big)))], [big])
    source = _Source()
    headers, streamed = _sized([], source)
    assert headers == [] and b"".join(streamed) == b"x" * WHOLE + b"y" * WHOLE
    streamed.close()  # type: ignore[attr-defined]
    assert source.closed


def test_a_failure_is_a_plain_500_with_its_length(tmp_path: Path) -> None:
    archive = new_archive(tmp_path / "rli.db", Clock())
    app = make_app(archive.db, config())

    def broken(*_: object) -> None:
        raise RuntimeError("broken on purpose")

    app._route = broken  # type: ignore[method-assign]
    seen: list[tuple[str, list[tuple[str, str]]]] = []
    body = b"".join(app({"PATH_INFO": "/oai", "REQUEST_METHOD": "GET", "QUERY_STRING": ""},
                        lambda status, headers, *_: seen.append((status, headers))))
    assert seen[0][0] == "500 Internal Server Error"
    assert ("Content-Length", str(len(body))) in seen[0][1] and body == b"internal error (logged)"

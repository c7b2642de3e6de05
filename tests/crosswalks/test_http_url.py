"""crosswalks/http_url.py: which typed addresses a request could go to, and why not."""

from __future__ import annotations

import pytest

from crosswalks.http_url import url_problem


@pytest.mark.parametrize(("url", "problem"), [
    ("http://127.0.0.1:8000/oai", None),
    ("https://lib.example.org/oai?x=1", None),
    ("http://[::1]:8000/oai", None),
    ("http://ünï.example/oai", None),
    ("http://example.org:80a/oai", "port is not a number"),
    ("http://127.0.0.1:18731:80/oai", "port is not a number"),
    ("http://x.org:99999/oai", "port is not a number from 1 to 65535"),
    ("http://x.org:0/oai", "port is not a number from 1 to 65535"),
    ("http://[fe80::1/oai", "host is not a valid IPv6 address"),
    ("http://[zzz]/oai", "host is not a valid IPv6 address"),
    ("http://oai..example.org/oai", "'oai..example.org' is not a usable host name"),
    ("http://" + "a" * 64 + ".org/oai", "is not a usable host name"),
    ("http://example.org/oai\t", "the character '\\t'"),
    ("http://example.org/o ai", "the character ' '"),
    ("ftp://example.org/oai", "not an absolute http(s) URL"),
    ("http:///oai", "not an absolute http(s) URL"),
    ("example.org/oai", "not an absolute http(s) URL"),
])
def test_url_problem(url: str, problem: str | None) -> None:
    found = url_problem(url)
    if problem is None:
        assert found is None
    else:
        assert found is not None and problem in found, found

"""The list pages (repository/web/views/lists.py): list, versions, version, diff, export."""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path

import pytest
from flask.testing import FlaskClient
from lxml import etree

from harvester.shared.db import open_db
from repository.archive import Archive
from repository.archive.exporting import EXPORTERS
from repository.web.views.lists import EXPORT_TYPES
from tests.repository.web.conftest import make_app


def text(client: FlaskClient, path: str, status: int = 200) -> str:
    response = client.get(path)
    assert response.status_code == status, (path, response.status_code)
    assert response.content_type.startswith("text/html")
    return response.get_data(as_text=True)


def test_list_page_shows_metadata_sections_citations_notes_and_tags(client: FlaskClient) -> None:
    page = text(client, "/lists/law2210-2026")
    assert '<html lang="en">' in page
    assert "<h1>Jurisprudence</h1>" in page
    assert "prof.grace.okonkwo" in page and "LAW2210" in page
    assert "Reading for LAW2210. Each seminar pairs a primary text with a reply." in page
    assert '<h2 id="h-t1">Seminar 1: What is a legal system?</h2>' in page
    assert "<cite>The Concept of Law</cite>" in page and "Hart, H. L. A." in page
    assert '<strong class="tag tag-essential">essential</strong>' in page
    assert "Chapters V and VI are the core; the Postscript answers Dworkin." in page
    assert "Checked by the Law Library on 14 January 2026; all items held." in page


def test_find_it_links_only_with_a_resolver(demo_db: Path) -> None:
    with_resolver = make_app(demo_db, resolver="https://resolver.example.edu/openurl")
    page = text(with_resolver.test_client(), "/lists/law2210-2026")
    assert ('href="https://resolver.example.edu/openurl?url_ver=Z39.88-2004&amp;' in page)
    assert "rft.btitle=The%20Concept%20of%20Law" in page
    without = text(make_app(demo_db).test_client(), "/lists/law2210-2026")
    assert "Find it in the library" not in without


def test_every_export_format_is_linked_and_served(client: FlaskClient) -> None:
    page = text(client, "/lists/law2210-2026")
    assert set(EXPORT_TYPES) == set(EXPORTERS) == {
        "rli", "oai_dc", "mods", "lom", "ris", "bibtex", "csl-json", "ims-cp"}
    for fmt, (media, _) in EXPORT_TYPES.items():
        assert f'href="/lists/law2210-2026/export/{fmt}?version=1"' in page
        response = client.get(f"/lists/law2210-2026/export/{fmt}?version=1")
        assert response.status_code == 200, fmt
        assert response.headers["Content-Type"] == media
        body = response.data
        if media == "application/xml":
            etree.fromstring(body)
        elif fmt == "csl-json":
            assert len(json.loads(body)) == 16
        elif fmt == "ims-cp":
            assert "imsmanifest.xml" in zipfile.ZipFile(io.BytesIO(body)).namelist()
        else:
            assert b"Concept of Law" in body


def test_rli_export_is_the_archived_document(client: FlaskClient, demo_db: Path) -> None:
    db = open_db(demo_db)
    expected = Archive(db).document("hist2041-2026", 2)
    assert client.get("/lists/hist2041-2026/export/rli?version=2").data == expected


def test_history_page_has_who_when_why_and_hash(client: FlaskClient, demo_db: Path) -> None:
    page = text(client, "/lists/hist2041-2026/versions")
    history = Archive(open_db(demo_db)).history("hist2041-2026")
    assert len(history) == 3
    for v in history:
        assert v.sha256 in page and v.note in page and v.archived_at in page
        assert f'href="/lists/hist2041-2026/versions/{v.version}"' in page
        assert f'href="/lists/hist2041-2026/versions/{v.version}.xml"' in page


def test_an_old_version_is_a_page_saying_so(client: FlaskClient) -> None:
    page = text(client, "/lists/hist2041-2026/versions/1")
    assert "version 1 of 3" in page
    assert "Continuity, Chance and Change" in page  # removed in a later version


def test_diff_page_names_added_removed_moved_and_changed_fields(client: FlaskClient) -> None:
    page = text(client, "/lists/hist2041-2026/diff/1/3")
    assert "Added (2)" in page and "Liberty&#39;s Dawn" in page
    assert "Removed (1)" in page and "<del>[i5] book: Continuity, Chance and Change" in page
    assert "Moved (1)" in page and "s2 #3 -&gt; s6 #1" in page
    assert "Changed (1)" in page
    assert '<th scope="row">item annotations</th>' in page
    assert "list note added: [note] Added Griffin and Humphries after student feedback." in page


def test_diff_form_redirects_to_the_diff(client: FlaskClient) -> None:
    response = client.get("/lists/hist2041-2026/diff?a=1&b=2")
    assert response.status_code == 302
    assert response.headers["Location"] == "/lists/hist2041-2026/diff/1/2"


@pytest.mark.parametrize("path", [
    "/lists/no-such-list",
    "/lists/no-such-list/versions",
    "/lists/law2210-2026/versions/9",
    "/lists/law2210-2026/versions/0",
    "/lists/law2210-2026/diff/1/9",
    "/lists/no-such-list/diff/1/2",
    "/lists/law2210-2026/export/docx",
    "/lists/no-such-list/export/rli",
    "/lists/law2210-2026/export/rli?version=7",
    "/resources/nosource/oai:x:1",
    "/nothing/here",
])
def test_unknown_things_are_a_404_page(client: FlaskClient, path: str) -> None:
    page = text(client, path, 404)
    assert "<h1>" in page and "Traceback" not in page


def test_a_deleted_list_is_shown_as_deleted_with_its_history(client: FlaskClient,
                                                              demo_db: Path) -> None:
    archive = Archive(open_db(demo_db))
    archive.delete("film1203-2026", editor="registrar", note="course withdrawn")
    page = text(client, "/lists/film1203-2026")
    assert "tag-deleted" in page and "course withdrawn" in page and "registrar" in page
    assert 'href="/lists/film1203-2026/versions"' in page
    assert 'href="/lists/film1203-2026/versions/1">v1</a>' in page and "bundled list" in page
    assert "Introduction to Film Studies" in page
    home = text(client, "/")
    assert "film1203-2026" in home and "tag-deleted" in home


def test_text_from_the_archive_is_escaped_and_unsafe_links_are_not_links(
    client: FlaskClient, demo_db: Path
) -> None:
    from dataclasses import replace

    from crosswalks.rli import Item, Location, LocationType, Resource
    from crosswalks.rli.model import Citation

    archive = Archive(open_db(demo_db))
    lst = archive.get("musi2310-2026")
    evil = Resource(citation=Citation(title="<script>alert(1)</script>"),
                    locations=(Location(LocationType.URL, "javascript:alert(2)"),))
    archive.save(replace(lst, title="Pop <b>music</b>", items=(Item("i1", evil),)),
                 editor="t", note="t")
    page = text(client, "/lists/musi2310-2026")
    assert "<script>alert(1)" not in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "Pop &lt;b&gt;music&lt;/b&gt;" in page
    assert 'href="javascript:' not in page

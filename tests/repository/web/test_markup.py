"""Every page's markup: lang, one h1, unique ids, a label for every field, a CSRF token in
every POST form, no script (the pages work without JavaScript)."""

from __future__ import annotations

import pytest
from flask.testing import FlaskClient
from lxml import html

PAGES = ("/", "/sources", "/login", "/lists/law2210-2026", "/lists/hist2041-2026",
         "/lists/hist2041-2026/versions", "/lists/hist2041-2026/versions/1",
         "/lists/hist2041-2026/diff/1/3", "/lists/no-such-list")


def labelled(field: html.HtmlElement, doc: html.HtmlElement) -> bool:
    ident = field.get("id")
    if ident and doc.xpath("//label[@for=$i]", i=ident):
        return True
    return any(a.tag == "label" for a in field.iterancestors())


@pytest.mark.parametrize("path", PAGES)
def test_markup_for_readers_and_editors(client: FlaskClient, editor: str, path: str) -> None:
    response = client.get(path)
    doc = html.document_fromstring(response.data)
    assert doc.get("lang") == "en"
    assert doc.xpath("//meta[@name='viewport']")
    assert len(doc.xpath("//h1")) == 1
    assert not doc.xpath("//script") and not doc.xpath("//@*[starts-with(name(), 'on')]")
    ids = doc.xpath("//@id")
    assert len(ids) == len(set(ids)), sorted(i for i in ids if ids.count(i) > 1)
    fields = doc.xpath("//input[not(@type='hidden') and not(@type='submit')] | //select"
                       " | //textarea")
    unlabelled = [f.get("name") for f in fields if not labelled(f, doc)]
    assert not unlabelled
    for form in doc.xpath("//form[@method='post']"):
        assert form.xpath(".//input[@type='hidden' and @name='csrf' and @value!='']")
    assert doc.xpath("//main[@id='main']") and doc.xpath("//a[@href='#main']")

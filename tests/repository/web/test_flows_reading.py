"""What a list page reads like to an editor: citations without doubled stops, and item
controls named by their item's title for someone hearing the page, not only "item r8"."""

from __future__ import annotations

import re

from flask.testing import FlaskClient


def citations(page: str) -> list[str]:
    found = re.findall(r'<span class="citation">(.*?)<span class="type">', page, re.S)
    return [" ".join(re.sub(r"<[^>]+>", "", c).split()) for c in found]


def test_an_edition_or_a_question_ends_its_sentence_once(client: FlaskClient) -> None:
    read = citations(client.get("/lists/film1203-2026").get_data(as_text=True))
    assert ("Bordwell, David; Thompson, Kristin (2013) Film Art: An Introduction, 10th ed."
            " New York: McGraw-Hill.") in read
    assert not [c for c in read if ".." in c or "?." in c]
    assert any("In What Is Cinema? Volume 1, pp. 9–16. Berkeley:" in c for c in read)


def test_each_items_controls_name_the_item(client: FlaskClient, editor: str) -> None:
    page = client.get("/lists/film1203-2026").get_data(as_text=True)
    assert ('<summary>Change item f1<span class="visually-hidden">: <bdi>Man with a Movie'
            ' Camera</bdi></span></summary>') in page
    assert ('Remove item w1<span class="visually-hidden">: <bdi>Week 1: Attractions and the'
            ' city</bdi></span></button>') in page

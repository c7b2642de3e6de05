"""The hostile lists of tests/repository/oai/test_hostile_html_browser.py in the pages for
people (Flask + Jinja2), in a real headless Chromium against a real ``rli serve``."""

from __future__ import annotations

from typing import Any

from tests.live_server import Served
from tests.repository.oai.test_hostile_html_browser import (
    AFTER_OVERRIDES,
    ran,
    reversed_words,
    site,
    visit,
)

__all__ = ["site"]  # the module's fixture: one server for this file


def test_the_list_page_links_only_web_addresses_and_runs_nothing(browser: Any,
                                                                  site: Served) -> None:
    visit(browser, f"{site.root}/lists/hostile")
    assert "T <script>window.pwned=1" in browser.find_element("css selector", "h1").text
    shown = browser.execute_script("return document.body.innerText")
    assert "url: javascript:alert(1)" in shown and "url: vbscript:msgbox(5)" in shown
    browser.execute_script(
        "document.querySelectorAll('p.note *').forEach("
        "e => e.dispatchEvent(new MouseEvent('mouseover')))")
    assert ran(browser) is None
    links = browser.execute_script(
        "return Array.from(document.links).map(a => a.protocol + '//' + a.host)")
    assert set(links) == {site.root, "https://ok.example"}


def test_an_unclosed_override_turns_no_other_text_around(browser: Any, site: Served) -> None:
    visit(browser, f"{site.root}/lists/bidi")
    assert reversed_words(browser, AFTER_OVERRIDES) == []


def test_a_title_left_open_turns_no_heading_around(browser: Any, site: Served) -> None:
    visit(browser, f"{site.root}/lists/turned/diff/1/2")
    assert reversed_words(browser, ("what changed from", "version 1")) == []


def test_a_search_hit_left_open_turns_no_other_text_around(browser: Any, site: Served) -> None:
    visit(browser, f"{site.root}/search?q=bidi&in=lists")
    assert reversed_words(browser, ("SECOND",)) == []  # the course after COURSE\u202e

"""A librarian's day in a real headless Chromium against a real ``rli serve``.

Make an empty list (``/new``), fill it from a search, set its details; two
tabs on one list, where the second tab's note meets the first tab's save and
is offered again with its text; Back after a save shows the latest version's
forms, not a stale page from the cache.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timedelta, timezone
from typing import Any

import pytest

from tests.browser import require_browser
from tests.live_server import Served, build_demo, rli_serve
from tests.peers.oai import CatalogPeer, Rec
from tests.peers.serve import serve
from tests.test_browser_pages import EDITOR, click, every, log_in, one, rli, text

T0 = datetime(2026, 3, 1, 12, 0, 0, tzinfo=timezone.utc)


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    require_browser()
    db = build_demo(tmp_path_factory.mktemp("flows") / "demo.db")
    records = [Rec(f"oai:peer:{i:03d}", T0 - timedelta(hours=i), title, ("reserves",))
               for i, title in enumerate(("Seeing like a state", "Weapons of the weak"))]
    with serve(CatalogPeer(records)) as url:
        rli(db, "source", "add", "peer", url, "--prefix", "oai_dc")
        rli(db, "harvest", "peer")
    rli(db, "user", "add", EDITOR[0], "--role", "editor", stdin=f"{EDITOR[1]}\n{EDITOR[1]}\n")
    with rli_serve(db, "--prerender", "") as served:
        yield served
    assert "Traceback" not in served.log.read_text()


@pytest.fixture
def page(browser: Any, site: Served) -> Any:
    browser.delete_all_cookies()
    browser.set_window_size(1100, 900)
    return browser


def version_in_forms(driver: Any) -> set[str]:
    return {box.get_attribute("value") for box in every(driver, "input[name=version]")}


def test_make_an_empty_list_fill_it_from_a_search_and_name_it(page: Any, site: Served) -> None:
    log_in(page, site.root)
    click(page, "header a[href='/new']")
    one(page, "#new-title").send_keys("Politics of the everyday")
    one(page, "#new-course").send_keys("POLS2200")
    click(page, "main form button")
    assert page.current_url.endswith("/lists/politics-of-the-everyday")
    assert "Made politics-of-the-everyday (version 1), empty" in text(page)
    assert "This list has no items yet." in text(page)
    page.get(site.root + "/search?q=weak&in=resources")
    one(page, "input[name=pick]").click()
    one(page, "#list").send_keys("Politics of the everyday")
    click(page, "button[value=add]")
    assert "Saved as version 2: added 1 from search" in text(page)
    page.back()  # and Add again: the list has it, says so, adds nothing
    click(page, "button[value=add]")
    assert "cites peer:oai:peer:001 already; nothing added" in text(page)
    assert len(every(page, "ol.items > li")) == 1
    one(page, "details.edit:has(#details-title) summary").click()
    one(page, "#details-title").clear()
    one(page, "#details-title").send_keys("Politics of the Everyday (2026)")
    click(page, "form[action$='/details'] button")
    assert "Saved as version 3: changed title." in text(page)
    assert one(page, "h1").text == "Politics of the Everyday (2026)"


def test_two_tabs_on_one_list_lose_no_note(page: Any, site: Served) -> None:
    log_in(page, site.root)
    page.get(site.root + "/lists/nurs1105-2026")
    first = page.current_window_handle
    page.switch_to.new_window("tab")
    page.get(site.root + "/lists/nurs1105-2026")
    second = page.current_window_handle
    page.switch_to.window(first)
    one(page, "#list-note").send_keys("Library induction on Monday.")
    click(page, "#list-edit-h ~ form button")
    assert "Saved as version 2" in text(page)
    page.switch_to.window(second)  # still showing version 1
    mine = "Bring the skills workbook to every seminar."
    one(page, "#list-note").send_keys(mine)
    click(page, "#list-edit-h ~ form button")
    body = text(page)
    assert "The list has changed" in body and "v2" in body and EDITOR[0] in body
    assert one(page, "#again-text").get_attribute("value") == mine
    click(page, "section[aria-labelledby=again-h] button")
    assert "Saved as version 3" in text(page)
    assert "Library induction on Monday." in text(page) and mine in text(page)
    page.close()
    page.switch_to.window(first)


def test_back_after_a_save_shows_the_latest_forms(page: Any, site: Served) -> None:
    log_in(page, site.root)
    page.get(site.root + "/lists/biol2003-2026")
    assert version_in_forms(page) == {"1"}
    one(page, "#list-note").send_keys("Lab coats required.")
    click(page, "#list-edit-h ~ form button")
    assert version_in_forms(page) == {"2"}
    page.back()  # the page before the save: fetched again (no-store), not version 1's forms
    assert version_in_forms(page) == {"2"}


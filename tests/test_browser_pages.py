"""The pages for people in a real headless Chromium, against a real ``rli serve``.

The archive is the demo's (``rli demo --no-serve``) plus a real harvest over
HTTP from a small provider on 127.0.0.1 (``rli source add``, ``rli harvest``),
and an editor made by ``rli user add`` (password on stdin). The browser does
what a person does: log in, search, tick hits, make a list from them,
annotate it, compare versions, log out. A POST without the form's CSRF token
is refused even with the logged-in session's cookie. Screenshots go to a
temporary folder, or to ``RLI_SCREENSHOT_DIR`` (``docs/pages-*.png``).
"""

from __future__ import annotations

import os
import subprocess
from collections.abc import Iterator
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.browser import require_browser
from tests.live_server import RLI, Served, build_demo, rli_serve
from tests.peers.oai import CatalogPeer, Rec
from tests.peers.serve import serve

EDITOR = ("eve", "correct horse battery")
T0 = datetime(2026, 3, 1, 12, 0, 0, tzinfo=timezone.utc)
TITLES = ("The making of the English working class", "Hard times for these times",
          "The condition of the working class in England", "North and south",
          "Rain, steam and speed")


def rli(db: Path, *args: str, stdin: str = "") -> str:
    done = subprocess.run([*RLI, "--db", str(db), *args], input=stdin, text=True,
                          capture_output=True, timeout=120)
    assert done.returncode == 0, done.stderr
    return done.stdout


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    require_browser()  # before building anything
    db = build_demo(tmp_path_factory.mktemp("pages") / "demo.db")
    records = [Rec(f"oai:peer:{i:03d}", T0 - timedelta(hours=5 - i), title, ("reserves",),
                   creator=f"Author {i}") for i, title in enumerate(TITLES)]
    with serve(CatalogPeer(records, page_size=2)) as url:
        rli(db, "source", "add", "peer", url, "--prefix", "oai_dc", "--every", "1d")
        rli(db, "harvest", "peer")
    rli(db, "user", "add", EDITOR[0], "--role", "editor", stdin=f"{EDITOR[1]}\n{EDITOR[1]}\n")
    with rli_serve(db, "--prerender", "", workers=2) as served:
        yield served
    assert "Traceback" not in served.log.read_text()


@pytest.fixture
def shots(tmp_path: Path) -> Path:
    folder = Path(os.environ.get("RLI_SCREENSHOT_DIR") or tmp_path)
    folder.mkdir(parents=True, exist_ok=True)
    return folder


@pytest.fixture
def page(browser: Any, site: Served) -> Any:
    browser.delete_all_cookies()
    browser.set_window_size(1100, 900)
    return browser


def one(driver: Any, selector: str) -> Any:
    return driver.find_element("css selector", selector)


def every(driver: Any, selector: str) -> list[Any]:
    return list(driver.find_elements("css selector", selector))


def text(driver: Any) -> str:
    return " ".join(one(driver, "main").text.split())


def click(driver: Any, selector: str) -> None:
    """Click what ``selector`` finds and wait for the next page to load.

    The old page's window is marked and the wait is for a complete document without the
    mark: a new page has a new window. (Waiting for the old ``<html>`` to go stale, as
    before, asks chromium about a node while it navigates, and it sometimes answers
    "Node with given id does not belong to the document" instead of "stale": CI failed
    on that.) Errors while the page changes are retried until the deadline.
    """
    from selenium.common.exceptions import WebDriverException
    from selenium.webdriver.support.wait import WebDriverWait

    driver.execute_script("window.rliOldPage = true")
    one(driver, selector).click()
    WebDriverWait(driver, 15, ignored_exceptions=(WebDriverException,)).until(
        lambda d: d.execute_script(
            "return window.rliOldPage === undefined && document.readyState === 'complete'"))


def shot(driver: Any, path: Path) -> None:
    driver.execute_script("window.scrollTo(0, 0)")
    assert driver.save_screenshot(str(path)) and path.stat().st_size > 10_000


def log_in(driver: Any, root: str) -> None:
    driver.get(root + "/login")
    one(driver, "#name").send_keys(EDITOR[0])
    one(driver, "#password").send_keys(EDITOR[1])
    click(driver, "main form button[type=submit]")
    assert f"Logged in as {EDITOR[0]}" in text(driver)


def test_search_pick_hits_make_a_list_annotate_and_diff(
    page: Any, site: Served, shots: Path,
) -> None:
    page.get(site.root + "/")
    shot(page, shots / "pages-home.png")
    log_in(page, site.root)
    page.get(site.root + "/")
    one(page, "#q").send_keys("working class")
    click(page, "form[role=search] button")
    assert "/search?q=working+class" in page.current_url
    assert one(page, "#q").get_attribute("value") == "working class"
    hits = every(page, "li.hit")
    assert len(hits) >= 3  # two harvested records and the history list
    assert {"Source", "Type", "Year", "Owner"} <= {h.text for h in every(page, ".facets h2")}
    shot(page, shots / "pages-search.png")
    # narrow to the harvested resources through the facet link
    click(page, ".facets a[href*='source=peer']")
    assert "source=peer" in page.current_url
    boxes = every(page, "input[name=pick]")
    assert len(boxes) == 2
    for box in boxes:
        box.click()
    one(page, "details summary").click()
    one(page, "#new-title").send_keys("Working class reading")
    one(page, "#new-course").send_keys("HIST2041")
    click(page, "button[value=new]")
    assert page.current_url.endswith("/lists/working-class-reading")
    assert "Made working-class-reading (version 1) from 2 search hits" in text(page)
    assert len(every(page, "ol.items > li")) == 2
    # annotate the list (version 2)
    one(page, "#list-note").send_keys("Read both before week 3.")
    one(page, "#list-kind").send_keys("essential")
    click(page, "#list-edit-h ~ form button")
    assert "Saved as version 2" in text(page)
    assert "Read both before week 3." in text(page)
    shot(page, shots / "pages-made-list.png")
    # the history, then what changed from version 1 to 2
    page.get(site.root + "/lists/working-class-reading/versions")
    click(page, "table a[href$='/diff/1/2']")
    body = text(page)
    assert "what changed from version 1 to version 2" in body
    assert "Read both before week 3." in body
    shot(page, shots / "pages-made-diff.png")
    # log out: the forms are gone
    click(page, "header form button")
    assert "Logged out." in text(page)
    page.get(site.root + "/lists/working-class-reading")
    assert every(page, "#list-note") == []


def test_a_post_without_the_csrf_token_is_refused(page: Any, site: Served) -> None:
    log_in(page, site.root)
    cookies = {c["name"]: c["value"] for c in page.get_cookies()}
    data = {"pick": "peer:oai:peer:001", "action": "add", "list": "musi2310-2026"}
    refused = httpx.post(site.root + "/search/pick", data=data, cookies=cookies)
    assert refused.status_code == 400
    assert "did not come from this site" in refused.text
    history = httpx.get(site.root + "/lists/musi2310-2026/versions").text
    assert "1 versions" in history  # nothing saved


def test_a_bad_query_is_one_line_in_the_page(page: Any, site: Served) -> None:
    page.get(site.root + '/search?q="unbalanced')
    assert one(page, "[role=alert]").text.startswith("Error: unbalanced quote")
    assert one(page, "#q").get_attribute("value") == '"unbalanced'


def test_the_demo_pages_read_well(page: Any, site: Served, shots: Path) -> None:
    page.get(site.root + "/lists/hist2041-2026")
    assert one(page, "h1").text == "Industry, Class and Culture: Britain 1750-1914"
    assert len(every(page, "ol.items li")) > 10 and every(page, ".tag-essential")
    shot(page, shots / "pages-list.png")
    page.get(site.root + "/lists/hist2041-2026/diff/1/3")
    assert every(page, "ul.added li") or every(page, "#d-changed")
    shot(page, shots / "pages-diff.png")
    page.get(site.root + "/lists/hist2041-2026/versions")
    assert len(every(page, "tbody tr")) >= 3
    shot(page, shots / "pages-versions.png")
    page.get(site.root + "/sources")
    assert "peer" in text(page)
    shot(page, shots / "pages-sources.png")


def test_accept_a_pending_change(page: Any, site: Served, shots: Path) -> None:
    """``rli demo`` offers a revision of hist2041-2026 made elsewhere as a pending change."""
    log_in(page, site.root)
    page.get(site.root + "/lists/hist2041-2026")
    assert one(page, "a.badge").text == "1 pending change"
    click(page, "a.badge")
    assert page.current_url.endswith("/changes?list=hist2041-2026")
    assert "upstream-version" in text(page) and "The Age of Revolution" in text(page)
    assert one(page, "form[action$='/accept'] input[name=version]").get_attribute("value") == "3"
    shot(page, shots / "pages-changes.png")
    click(page, "form[action$='/accept'] button")
    assert page.current_url.endswith("/lists/hist2041-2026")
    assert "Change 1 accepted: version 4" in text(page)
    assert every(page, "a.badge") == [] and "The Age of Revolution" in text(page)
    page.get(site.root + "/changes")
    assert "No pending changes." in text(page)


def test_the_pages_fit_a_phone(page: Any, site: Served, shots: Path) -> None:
    """At 400 px wide no page scrolls sideways (wide tables scroll inside themselves)."""
    from selenium.common.exceptions import TimeoutException
    from selenium.webdriver.support.wait import WebDriverWait

    page.set_window_size(400, 800)
    log_in(page, site.root)
    overflow = ("return document.documentElement.scrollWidth"
                " - document.documentElement.clientWidth")
    for path in ("/", "/search?q=working+class", "/lists/hist2041-2026",
                 "/lists/hist2041-2026/versions", "/changes", "/sources"):
        page.get(site.root + path)
        try:  # once layout has settled (a loaded machine can lag behind the resize)
            WebDriverWait(page, 5).until(lambda d: d.execute_script(overflow) <= 0)
        except TimeoutException:
            pytest.fail(f"{path} is {page.execute_script(overflow)}px wider than the phone")
    page.get(site.root + "/search?q=working+class")
    page.execute_script("window.scrollTo(0, 0)")
    assert page.save_screenshot(str(shots / "pages-search-phone.png"))


def test_duplicate_move_remove_delete_and_restore_in_the_browser(
    page: Any, site: Served,
) -> None:
    """The other writes a person makes on a list page, each one new version, in Chromium."""
    log_in(page, site.root)
    page.get(site.root + "/lists/econ1001-2026")
    one(page, "#dup-id").clear()
    one(page, "#dup-id").send_keys("econ1001-2027")
    one(page, "#dup-title").clear()
    one(page, "#dup-title").send_keys("Great Ideas in Economics (2027)")
    click(page, "form[action$='/duplicate'] button")
    assert page.current_url.endswith("/lists/econ1001-2027")
    assert "Made econ1001-2027 (version 1) from econ1001-2026" in text(page)
    first = one(page, "details.edit")
    item = first.find_element("css selector", "input[name=item]").get_attribute("value")
    # move the first item to position 2
    first.find_element("css selector", "summary").click()
    box = first.find_element("css selector", "input[name=position]")
    box.clear()
    box.send_keys("2")
    click(page, f"details.edit form[action$='/move']:has(input[value='{item}']) button")
    assert "Saved as version 2" in text(page)
    # remove it
    details = one(page, f"details.edit:has(input[value='{item}'])")
    details.find_element("css selector", "summary").click()
    click(page, f"details.edit form[action$='/remove']:has(input[value='{item}']) button")
    assert "Saved as version 3" in text(page)
    assert every(page, f"details.edit input[value='{item}']") == []
    # delete, then restore
    one(page, "#del-note").send_keys("course merged")
    click(page, "form[action$='/delete'] button")
    assert "Deleted econ1001-2027" in text(page)
    click(page, "form[action$='/restore'] button")
    assert "Restored as version" in text(page)
    # the history page shows the deletion (who, when, why) and the restore
    page.get(site.root + "/lists/econ1001-2027/versions")
    deleted = one(page, "tr.event-deleted").text.lower()
    assert "deleted" in deleted and "course merged" in deleted and EDITOR[0] in deleted
    assert "restored" in one(page, "tbody tr:last-child").text.lower()

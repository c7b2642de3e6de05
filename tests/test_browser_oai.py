"""``/oai`` in a real headless Chromium, against a real ``rli serve`` over the demo archive.

Each page must come from the server (``data-rendered="server"``, ``text/html``)
with no XSLT run in the browser: neither the "This site uses XSLT" banner nor
Chromium's XSLT deprecation warning. Screenshots go to a temporary folder, or
to ``RLI_SCREENSHOT_DIR`` (``RLI_SCREENSHOT_DIR=docs`` makes ``docs/oai-*.png``).
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.browser import console, require_browser, xslt_traces
from tests.live_server import Served, build_demo, rli_serve

PAGE_SIZE = 3
DEMO_LISTS = 8


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    require_browser()  # before building anything
    db = build_demo(tmp_path_factory.mktemp("browser") / "demo.db")
    with rli_serve(db, "--page-size", str(PAGE_SIZE)) as served:
        yield served


@pytest.fixture
def shots(tmp_path: Path) -> Path:
    folder = Path(os.environ.get("RLI_SCREENSHOT_DIR") or tmp_path)
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def visit(driver: Any, url: str) -> None:
    console(driver)  # forget what earlier pages logged
    driver.get(url)


def css(driver: Any, selector: str) -> list[Any]:
    return list(driver.find_elements("css selector", selector))


def texts(driver: Any, selector: str) -> list[str]:
    return [" ".join(el.text.split()) for el in css(driver, selector)]


def shot(driver: Any, path: Path) -> None:
    driver.set_window_size(1100, 900)
    driver.execute_script("window.scrollTo(0, 0)")
    assert driver.save_screenshot(str(path)) and path.stat().st_size > 10_000


def assert_server_page(driver: Any, title: str) -> None:
    assert xslt_traces(driver) == []
    assert driver.execute_script("return document.documentElement.dataset.rendered") == "server"
    assert driver.execute_script("return document.contentType") == "text/html"
    assert driver.title == title


def test_identify(browser: Any, site: Served, shots: Path) -> None:
    visit(browser, f"{site.oai}?verb=Identify")
    assert_server_page(browser, "OAI-PMH Identify")
    table = texts(browser, "table.identify")[0]
    assert "repositoryIdentifier rli.localhost" in table and "deletedRecord persistent" in table
    shot(browser, shots / "oai-identify.png")


def test_list_records_following_resumption_links(browser: Any, site: Served,
                                                 shots: Path) -> None:
    visit(browser, f"{site.oai}?verb=ListRecords&metadataPrefix=rli")
    assert_server_page(browser, "OAI-PMH ListRecords")
    first = css(browser, "article.record")[0]
    assert len(first.find_elements("css selector", "li.item")) > 5
    assert first.find_elements("css selector", ".annotation")
    shot(browser, shots / "oai-listrecords.png")
    titles: list[str] = []
    pages: list[str] = []
    while True:
        titles += texts(browser, "article.record > h2")
        pages += texts(browser, "nav.pages")
        following = css(browser, "a[rel=next]")
        if not following:
            break
        console(browser)
        following[0].click()
        assert "resumptionToken=" in browser.current_url
        assert_server_page(browser, "OAI-PMH ListRecords")
    assert len(titles) == len(set(titles)) == DEMO_LISTS
    assert "Jurisprudence" in titles
    assert [p.split(" · ")[0] for p in pages] == ["1–3 of 8", "4–6 of 8", "7–8 of 8"]
    assert pages[-1].endswith("last page")


def test_get_record(browser: Any, site: Served, shots: Path) -> None:
    visit(browser, f"{site.oai}?verb=GetRecord&metadataPrefix=rli"
                   "&identifier=oai:rli.localhost:law2210-2026")
    assert_server_page(browser, "OAI-PMH GetRecord")
    assert texts(browser, "article.record > h2") == ["Jurisprudence"]
    assert len(css(browser, "li.item")) == 16
    assert texts(browser, "li.section > h3")[0] == "Seminar 1: What is a legal system?"
    notes = " ".join(texts(browser, ".annotation"))
    assert "Chapters V and VI are the core" in notes
    assert "essential" in texts(browser, "li.item .tag")
    link = css(browser, "a.list-page")[0].get_attribute("href")
    assert link == f"{site.root}/lists/law2210-2026"
    shot(browser, shots / "oai-getrecord.png")


def test_an_error(browser: Any, site: Served, shots: Path) -> None:
    visit(browser, f"{site.oai}?verb=ListRecords&metadataPrefix=marc21")
    assert_server_page(browser, "OAI-PMH error")
    assert texts(browser, ".error code") == ["cannotDisseminateFormat"]
    assert texts(browser, ".error .message") == ["metadataPrefix 'marc21' is not offered"]
    shot(browser, shots / "oai-error.png")


def test_the_raw_xml_link(browser: Any, site: Served) -> None:
    visit(browser, f"{site.oai}?verb=Identify")
    css(browser, "a.raw-xml")[0].click()
    assert browser.current_url == f"{site.root}/oai.xml?verb=Identify"
    assert browser.execute_script("return document.contentType") == "text/xml"
    shown = " ".join(str(browser.execute_script("return document.body.innerText")).split())
    assert ">rli resource list repository</repositoryName>" in shown  # Chromium's XML viewer
    assert xslt_traces(browser) == []


def test_browser_tests_skip_here_but_fail_under_ci(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("RLI_CHROMIUM", "/nonexistent/chromium")
    monkeypatch.delenv("CI", raising=False)
    with pytest.raises(pytest.skip.Exception, match="chromium not found"):
        require_browser()
    monkeypatch.setenv("CI", "1")
    with pytest.raises(pytest.fail.Exception, match="must run under CI"):
        require_browser()

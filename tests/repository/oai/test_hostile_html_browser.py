"""A hostile list (``rli import``) seen in a real headless Chromium, against a real ``rli serve``:
the ``/oai`` page, its raw-XML links and the archived version document.
(tests/repository/web/test_hostile_html_browser.py shows the same lists in the pages.)

The list carries markup in its text, links with every scheme a browser would run, and
foreign elements an RLI file may hold (kept verbatim): an XHTML ``script`` and an SVG
one, each of which sets ``window.pwned`` if a browser ever runs it.
"""

from __future__ import annotations

import subprocess
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from lxml import etree

from crosswalks.validation import validate
from tests.browser import console, require_browser
from tests.live_server import RLI, Served, rli_serve

RECORD = "verb=GetRecord&metadataPrefix=rli&identifier=oai:rli.localhost:hostile"
LOCATORS = ("javascript:alert(1)", "\t javascript:alert(2)", " JaVaScRiPt:alert(3)",
            "data:text/html,<script>alert(4)</script>", "vbscript:msgbox(5)",
            "//evil.example/6", "https:evil.example", "http:\\\\evil.example",
            "https://ok.example/a\"b'c<d>e")


def locator(value: str) -> str:
    text = value.replace("&", "&amp;").replace("<", "&lt;").replace("\t", "&#9;")
    return ("<rli:location><rli:locationType><rli:metadataToken>URL</rli:metadataToken>"
            f"</rli:locationType><rli:locator><rli:metadataString>{text}</rli:metadataString>"
            "</rli:locator></rli:location>")


HOSTILE = f"""<?xml version='1.0' encoding='UTF-8'?>
<rli:resourceList xmlns:rli="http://www.imsglobal.org/services/rli/xsd/imsRLIManDataSchema_v1p0"
    xmlns:rlx="http://www.imsglobal.org/services/rli/rlicommon/imsRLICommonSchema_v1p0"
    xmlns:rlix="urn:x-rli:extension:1.0">
  <rli:resourceListMetadata>
    <rli:title><rli:metadataLangString><rlx:LangString><rlx:text>T &lt;script&gt;window.pwned=1
      &lt;/script&gt; {{{{ 7*7 }}}} ]]&gt; &lt;/textarea&gt;"'</rlx:text></rlx:LangString>
      </rli:metadataLangString></rli:title>
    <rlix:identifier>hostile</rlix:identifier>
    <rlix:annotation kind="note&quot; onmouseover=&quot;window.pwned=1">&lt;img src=x
      onerror=window.pwned=1&gt;</rlix:annotation>
    <rlix:owner>owner</rlix:owner>
    <h:script xmlns:h="http://www.w3.org/1999/xhtml">window.pwned = "xhtml"</h:script>
    <svg xmlns="http://www.w3.org/2000/svg"><script>window.pwned = "svg"</script></svg>
  </rli:resourceListMetadata>
  <rlix:items>
    <rlix:item id="i1">
      <rli:resource><rli:resourceMetadata>
        <rli:citation><rli:title><rli:metadataLangString><rlx:LangString>
          <rlx:text>Item</rlx:text></rlx:LangString></rli:metadataLangString></rli:title>
        </rli:citation>
        {"".join(locator(v) for v in LOCATORS)}
      </rli:resourceMetadata></rli:resource>
    </rlix:item>
  </rlix:items>
</rli:resourceList>
"""


# A value that ends inside a right-to-left override (U+202E) it never closes: unless the page
# isolates each value, the text after it in the same line is drawn reversed ("ecila").
BIDI = """<?xml version='1.0' encoding='UTF-8'?>
<rli:resourceList xmlns:rli="http://www.imsglobal.org/services/rli/xsd/imsRLIManDataSchema_v1p0"
    xmlns:rlx="http://www.imsglobal.org/services/rli/rlicommon/imsRLICommonSchema_v1p0"
    xmlns:rlix="urn:x-rli:extension:1.0">
  <rli:resourceListMetadata>
    <rli:title><rli:metadataLangString><rlx:LangString><rlx:text>Bidi</rlx:text>
      </rlx:LangString></rli:metadataLangString></rli:title>
    <rlix:identifier>bidi</rlix:identifier>
    <rlix:course>COURSE&#x202E;</rlix:course><rlix:course>SECOND</rlix:course>
    <rlix:annotation kind="note" author="alice" date="2026-01-02"
      >Read this&#x202E;</rlix:annotation>
    <rlix:owner>owner</rlix:owner>
  </rli:resourceListMetadata>
  <rlix:items>
    <rlix:item id="i1">
      <rli:resource><rli:resourceMetadata><rli:citation>
        <rli:title><rli:metadataLangString><rlx:LangString><rlx:text>Title&#x202E;</rlx:text>
          </rlx:LangString></rli:metadataLangString></rli:title>
        <rli:creator><rli:metadataLangString><rlx:LangString><rlx:text>Eve&#x202E;</rlx:text>
          </rlx:LangString></rli:metadataLangString></rli:creator>
        <rli:publicationDate><rli:metadataDate>2020</rli:metadataDate></rli:publicationDate>
        <rli:publisher><rli:metadataLangString><rlx:LangString><rlx:text>Penguin</rlx:text>
          </rlx:LangString></rli:metadataLangString></rli:publisher>
      </rli:citation></rli:resourceMetadata></rli:resource>
    </rlix:item>
  </rlix:items>
</rli:resourceList>
"""
# Words drawn after such a value: each must still read left to right.
AFTER_OVERRIDES = ("alice", "2026-01-02", "2020", "Title", "Penguin", "SECOND")

# Each word's first and last letter on the screen: reversed if the last is left of the first.
_REVERSED = """
const found = new Set();
const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
for (let node = walker.nextNode(); node; node = walker.nextNode()) {
  for (const word of arguments[0]) {
    const at = node.data.indexOf(word);
    if (at < 0) continue;
    const range = document.createRange();
    range.setStart(node, at); range.setEnd(node, at + 1);
    const first = range.getBoundingClientRect().left;
    range.setStart(node, at + word.length - 1); range.setEnd(node, at + word.length);
    if (range.getBoundingClientRect().left < first) found.add(word);
  }
}
return Array.from(found).sort();
"""


def reversed_words(driver: Any, words: tuple[str, ...]) -> list[str]:
    """Which of ``words`` (each shown somewhere on the page) the browser draws reversed."""
    shown = driver.execute_script("return document.body.innerText")
    assert all(w in shown for w in words), [w for w in words if w not in shown]
    found: list[str] = driver.execute_script(_REVERSED, list(words))
    return found


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    require_browser()
    folder = tmp_path_factory.mktemp("hostile-browser")
    db = folder / "rli.db"
    # "turned": a title left open, and a second version (a diff's heading names it)
    turned = BIDI.replace("<rlix:identifier>bidi", "<rlix:identifier>turned").replace(
        "<rlx:text>Bidi</rlx:text>", "<rlx:text>Turned&#x202E;</rlx:text>")
    for name, text in (("hostile", HOSTILE), ("bidi", BIDI), ("turned", turned)):
        source = folder / f"{name}.xml"
        source.write_text(text, encoding="utf-8")
        subprocess.run([*RLI, "--db", str(db), "import", str(source)], check=True,
                       capture_output=True, timeout=120)
    subprocess.run([*RLI, "--db", str(db), "annotate", "turned", "second"], check=True,
                   capture_output=True, timeout=120)
    with rli_serve(db) as served:
        yield served


@pytest.mark.parametrize("identifier", ["hostile", "bidi", "turned"])
def test_the_records_behind_the_pages_are_valid(site: Served, identifier: str) -> None:
    for prefix in ("rli", "oai_dc", "mods", "lom"):
        answer = httpx.get(f"{site.root}/oai.xml", timeout=30, params={
            "verb": "GetRecord", "metadataPrefix": prefix,
            "identifier": f"oai:rli.localhost:{identifier}"})
        root = etree.fromstring(answer.content)
        validate(root, "oai-pmh")
        assert root.find("{*}GetRecord") is not None
    version = httpx.get(f"{site.root}/lists/{identifier}/versions/1.xml", timeout=30)
    validate(etree.fromstring(version.content), "rli")


def visit(driver: Any, url: str) -> None:
    console(driver)
    driver.get(url)


def ran(driver: Any) -> object:
    return driver.execute_script("return window.pwned")


def test_the_page_shows_the_record_and_runs_none_of_it(browser: Any, site: Served) -> None:
    visit(browser, f"{site.oai}?{RECORD}")
    assert browser.execute_script("return document.documentElement.dataset.rendered") == "server"
    assert "T <script>window.pwned=1" in browser.find_element("css selector", "h2").text
    browser.execute_script(
        "document.querySelector('p.annotation').dispatchEvent(new MouseEvent('mouseover'))")
    assert ran(browser) is None
    # Only http(s) addresses are links, as the browser resolves them.
    schemes = browser.execute_script(
        "return Array.from(document.links).map(a => a.protocol + '//' + a.host)")
    assert set(schemes) == {f"{site.root}", "https://ok.example"}


def test_the_page_forbids_script_that_got_into_it(browser: Any, site: Served) -> None:
    """Should a record's text ever become markup, its script still would not run."""
    visit(browser, f"{site.oai}?{RECORD}")
    browser.execute_script(
        "const s = document.createElement('script');"
        " s.textContent = 'window.pwned = \"inline\"'; document.body.appendChild(s)")
    assert ran(browser) is None
    assert any("Content Security Policy" in m for m in console(browser))


def test_an_unclosed_override_turns_no_other_text_around(browser: Any, site: Served) -> None:
    visit(browser, f"{site.oai}?verb=GetRecord&metadataPrefix=rli"
                   "&identifier=oai:rli.localhost:bidi")
    assert reversed_words(browser, AFTER_OVERRIDES) == []


@pytest.mark.parametrize("path", [f"/oai.xml?{RECORD}", "/lists/hostile/versions/1.xml"])
def test_the_raw_xml_views_run_no_script_from_a_record(browser: Any, site: Served,
                                                       path: str) -> None:
    visit(browser, f"{site.root}{path}")
    assert browser.execute_script("return document.contentType").endswith("xml")
    assert ran(browser) is None


@pytest.fixture(autouse=True)
def _fresh(browser: Any) -> Iterator[None]:
    yield
    browser.get("about:blank")


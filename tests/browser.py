"""Headless Chromium for tests: Debian's ``chromium`` and ``chromium-driver`` through Selenium.

:func:`chromium` starts the browser with a fresh profile and every background
service off (no sync, updates, QUIC or first-run pages), so a test talks to
127.0.0.1 and nothing else. Selenium Manager never runs: the driver is given
by path (``RLI_CHROMEDRIVER``, default ``/usr/bin/chromedriver``) and so is
the browser (``RLI_CHROMIUM``, default ``/usr/bin/chromium``).

The ``browser`` fixture (``tests/conftest.py``) calls :func:`require_browser`:
when the browser or driver is missing a test is skipped with the reason, but
under ``CI`` (set by ``.ci/run``) it fails, so CI cannot skip browser tests
silently. ``apt-get install chromium chromium-driver`` provides both.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
)
XSLT_BANNER = "This site uses XSLT"


def chromium_path() -> Path:
    return Path(os.environ.get("RLI_CHROMIUM", "/usr/bin/chromium"))


def chromedriver_path() -> Path:
    return Path(os.environ.get("RLI_CHROMEDRIVER", "/usr/bin/chromedriver"))


def missing() -> str | None:
    """Why browser tests cannot run here, or None if they can."""
    try:
        import selenium  # noqa: F401
    except ImportError:
        return "selenium is not installed (pip install -e '.[test]')"
    for what, path in (("chromium", chromium_path()), ("chromedriver", chromedriver_path())):
        if not (path.is_file() and os.access(path, os.X_OK)):
            return f"{what} not found at {path} (apt-get install chromium chromium-driver)"
    return None


def require_browser() -> None:
    """Skip the test if the browser is missing; fail instead when ``CI`` is set."""
    reason = missing()
    if reason is None:
        return
    if os.environ.get("CI"):
        pytest.fail(f"browser tests must run under CI: {reason}")
    pytest.skip(reason)


@contextmanager
def chromium(width: int = 1100, height: int = 900) -> Iterator[Any]:
    """A headless Chromium WebDriver (fresh profile, console log kept), quit afterwards."""
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    profile = tempfile.mkdtemp(prefix="rli-chromium-")
    options = webdriver.ChromeOptions()
    options.binary_location = str(chromium_path())
    for flag in (*FLAGS, f"--user-data-dir={profile}", f"--window-size={width},{height}"):
        options.add_argument(flag)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(
        service=Service(executable_path=str(chromedriver_path())), options=options
    )
    try:
        driver.set_page_load_timeout(30)
        yield driver
    finally:
        driver.quit()
        shutil.rmtree(profile, ignore_errors=True)


def console(driver: Any) -> list[str]:
    """The browser console messages since the last call (deprecations included)."""
    return [str(entry.get("message", "")) for entry in driver.get_log("browser")]


def xslt_traces(driver: Any) -> list[str]:
    """Signs that the browser ran XSLT on the page: the banner or its deprecation warning."""
    body = driver.execute_script("return document.documentElement.innerText || ''")
    found = [XSLT_BANNER] if XSLT_BANNER in body else []
    return found + [m for m in console(driver) if "XSLT" in m]

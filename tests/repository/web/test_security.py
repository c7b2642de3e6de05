"""Sessions, CSRF, login and logout, private mode (repository/web/security.py)."""

from __future__ import annotations

import math
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from flask.testing import FlaskClient

from tests.repository.web.conftest import (
    EDITOR,
    csrf_of,
    free_port,
    latest,
    login,
    make_app,
    rli_process,
    wait_for,
)


def annotate_form(token: str | None, version: int = 1) -> dict[str, str]:
    form = {"version": str(version), "text": "Read this first", "kind": "note", "item": "i1"}
    if token is not None:
        form["csrf"] = token
    return form


def test_a_post_without_the_csrf_token_is_refused_and_changes_nothing(
    client: FlaskClient, editor: str, demo_db: Path
) -> None:
    response = client.post("/lists/law2210-2026/annotate", data=annotate_form(None))
    assert response.status_code == 400
    assert "did not come from this site" in response.get_data(as_text=True)
    assert latest(demo_db, "law2210-2026") == 1


def test_a_post_with_a_wrong_csrf_token_is_refused(
    client: FlaskClient, editor: str, demo_db: Path
) -> None:
    response = client.post("/lists/law2210-2026/annotate", data=annotate_form(editor + "x"))
    assert response.status_code == 400
    assert latest(demo_db, "law2210-2026") == 1


def test_another_sessions_token_does_not_work(app: object, demo_db: Path) -> None:
    from flask import Flask

    assert isinstance(app, Flask)
    mine, theirs = app.test_client(), app.test_client()
    login(mine)
    their_token = login(theirs)
    response = mine.post("/lists/law2210-2026/annotate", data=annotate_form(their_token))
    assert response.status_code == 400
    assert latest(demo_db, "law2210-2026") == 1


def test_logging_in_with_the_token_and_password_then_writing_works(
    client: FlaskClient, editor: str, demo_db: Path
) -> None:
    response = client.post("/lists/law2210-2026/annotate", data=annotate_form(editor))
    assert response.status_code == 302
    assert latest(demo_db, "law2210-2026") == 2


def test_the_login_form_itself_needs_the_token(client: FlaskClient) -> None:
    response = client.post("/login", data={"name": EDITOR[0], "password": EDITOR[1]})
    assert response.status_code == 400


def test_a_wrong_password_is_refused_and_logins_are_throttled(demo_db: Path) -> None:
    client = make_app(demo_db, login_limit=3, login_window=300).test_client()
    token = csrf_of(client.get("/login").get_data(as_text=True))
    for _ in range(3):
        wrong = client.post("/login", data={"csrf": token, "name": EDITOR[0],
                                            "password": "not it at all"})
        assert wrong.status_code == 401
        assert "Wrong name or password." in wrong.get_data(as_text=True)
    # Now even the right password is refused until the window passes.
    right = client.post("/login", data={"csrf": token, "name": EDITOR[0],
                                        "password": EDITOR[1]})
    assert right.status_code == 429
    assert "Too many failed logins" in right.get_data(as_text=True)


def _fail_logins(client: FlaskClient, forwarded_for: str, times: int) -> int:
    token = csrf_of(client.get("/login").get_data(as_text=True))
    status = 0
    for n in range(times):
        status = client.post("/login", headers={"X-Forwarded-For": forwarded_for}, data={
            "csrf": token, "name": f"someone{n}", "password": "not it at all"}).status_code
    return status


def test_behind_a_trusted_proxy_logins_are_throttled_per_client_address(demo_db: Path) -> None:
    app = make_app(demo_db, login_limit=3, login_window=300, proxies=1)
    assert _fail_logins(app.test_client(), "10.0.0.1", 4) == 429
    # Another client behind the same proxy (same REMOTE_ADDR) is not locked out.
    other = app.test_client()
    token = csrf_of(other.get("/login").get_data(as_text=True))
    right = other.post("/login", headers={"X-Forwarded-For": "10.0.0.2"},
                       data={"csrf": token, "name": EDITOR[0], "password": EDITOR[1]})
    assert right.status_code == 302


def test_without_a_trusted_proxy_a_forged_forwarded_for_is_ignored(demo_db: Path) -> None:
    client = make_app(demo_db, login_limit=3, login_window=300).test_client()
    assert _fail_logins(client, "10.0.0.1", 3) == 401
    # Claiming another address does not escape the limit on the real one.
    assert _fail_logins(client, "10.0.0.99", 1) == 429


def test_the_session_cookie_is_httponly_and_samesite(client: FlaskClient) -> None:
    token = csrf_of(client.get("/login").get_data(as_text=True))
    response = client.post("/login", data={"csrf": token, "name": EDITOR[0],
                                           "password": EDITOR[1]})
    cookie = response.headers["Set-Cookie"]
    assert cookie.startswith("rli_session=")
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie
    assert EDITOR[1] not in cookie


def test_secure_cookies_when_configured(demo_db: Path) -> None:
    client = make_app(demo_db, secure_cookies=True).test_client()
    response = client.get("/login")
    assert "Secure" in response.headers["Set-Cookie"]


@pytest.mark.parametrize("target, expected", [
    ("/lists/law2210-2026", "/lists/law2210-2026"),
    ("//evil.example/x", "/"),
    ("https://evil.example/", "/"),
    ("/\\evil.example", "/"),
    # found in review: browsers and Werkzeug drop tabs and newlines, so "/\t/x" became "//x"
    ("/\t/evil.example", "/"),
    ("/\n/evil.example", "/"),
    ("/\r\n/evil.example", "/"),
    ("\t//evil.example", "/"),
])
def test_login_goes_back_only_to_this_site(client: FlaskClient, target: str,
                                           expected: str) -> None:
    token = csrf_of(client.get("/login").get_data(as_text=True))
    response = client.post("/login", data={"csrf": token, "name": EDITOR[0],
                                           "password": EDITOR[1], "next": target})
    assert response.headers["Location"] == expected


def test_logout_is_a_post_with_the_token(client: FlaskClient, editor: str) -> None:
    assert client.get("/logout").status_code == 405
    assert client.post("/logout", data={}).status_code == 400
    assert client.post("/logout", data={"csrf": editor}).status_code == 302
    page = client.get("/lists/law2210-2026").get_data(as_text=True)
    assert "Change item i1" not in page and "Log in" in page


def _steal(client: FlaskClient, app: object) -> FlaskClient:
    """A second browser holding a copy of ``client``'s session cookie."""
    from flask import Flask

    assert isinstance(app, Flask)
    cookie = client.get_cookie("rli_session")
    assert cookie is not None
    thief = app.test_client()
    thief.set_cookie("rli_session", cookie.value)
    return thief


def test_logout_ends_the_session_even_for_a_copied_cookie(
    client: FlaskClient, app: object, editor: str, demo_db: Path
) -> None:
    thief = _steal(client, app)
    assert "Change item i1" in thief.get("/lists/law2210-2026").get_data(as_text=True)
    assert client.post("/logout", data={"csrf": editor}).status_code == 302
    page = thief.get("/lists/law2210-2026").get_data(as_text=True)
    assert "Change item i1" not in page and "Log in" in page
    response = thief.post("/lists/law2210-2026/annotate", data=annotate_form(editor))
    assert response.status_code == 302 and response.headers["Location"].startswith("/login")
    assert latest(demo_db, "law2210-2026") == 1


def test_logging_in_again_ends_the_session_the_browser_had(
    client: FlaskClient, app: object, editor: str, demo_db: Path
) -> None:
    thief = _steal(client, app)
    login(client)
    page = thief.get("/lists/law2210-2026").get_data(as_text=True)
    assert "Change item i1" not in page and "Log in" in page
    assert "Change item i1" in client.get("/lists/law2210-2026").get_data(as_text=True)


def test_rli_user_logout_ends_every_session_of_a_user(
    client: FlaskClient, app: object, editor: str, demo_db: Path
) -> None:
    thief = _steal(client, app)
    done = subprocess.run(
        [sys.executable, "-m", "repository", "--db", str(demo_db), "user", "logout", EDITOR[0]],
        capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == f"user {EDITOR[0]}: 1 session ended"
    for browser in (client, thief):
        page = browser.get("/lists/law2210-2026").get_data(as_text=True)
        assert "Change item i1" not in page and "Log in" in page


def test_a_session_ends_after_its_lifetime_on_the_server_too(demo_db: Path) -> None:
    from datetime import timedelta

    from harvester.shared.protocol import utc_now

    now = [utc_now()]
    app = make_app(demo_db, session_hours=1, clock=lambda: now[0])
    client = app.test_client()
    login(client)
    assert "Change item i1" in client.get("/lists/law2210-2026").get_data(as_text=True)
    now[0] += timedelta(hours=1, seconds=1)
    page = client.get("/lists/law2210-2026").get_data(as_text=True)
    assert "Change item i1" not in page and "Log in" in page


def test_readers_see_no_forms_and_their_posts_go_to_login(
    client: FlaskClient, demo_db: Path
) -> None:
    page = client.get("/lists/law2210-2026").get_data(as_text=True)
    assert "Change item" not in page and "Delete this list" not in page
    token = csrf_of(client.get("/login").get_data(as_text=True))
    response = client.post("/lists/law2210-2026/annotate", data=annotate_form(token))
    assert response.status_code == 302 and response.headers["Location"].startswith("/login")
    assert latest(demo_db, "law2210-2026") == 1


def test_a_removed_account_loses_its_session(client: FlaskClient, editor: str,
                                             demo_db: Path) -> None:
    from harvester.shared.db import open_db
    from repository.web.accounts import remove_user

    remove_user(open_db(demo_db), EDITOR[0])
    response = client.post("/lists/law2210-2026/annotate", data=annotate_form(editor))
    assert response.status_code == 302 and response.headers["Location"].startswith("/login")
    assert latest(demo_db, "law2210-2026") == 1


def test_private_pages_need_a_login_but_oai_style_assets_do_not(demo_db: Path) -> None:
    client = make_app(demo_db, private=True).test_client()
    for path in ("/", "/lists/law2210-2026", "/sources", "/lists/law2210-2026/export/rli"):
        response = client.get(path)
        assert response.status_code == 302, path
        assert response.headers["Location"].startswith("/login?next=")
    assert client.get("/login").status_code == 200
    assert client.get("/assets/web.css").status_code == 200
    login(client)
    assert client.get("/lists/law2210-2026").status_code == 200


def test_public_pages_need_no_login(client: FlaskClient) -> None:
    assert client.get("/lists/law2210-2026").status_code == 200


def test_an_unexpected_failure_is_a_500_page_without_a_traceback(demo_db: Path) -> None:
    app = make_app(demo_db)
    app.testing = False

    def broken() -> str:
        raise RuntimeError("secret internals")

    app.add_url_rule("/broken", view_func=broken)
    response = app.test_client().get("/broken")
    assert response.status_code == 500
    page = response.get_data(as_text=True)
    assert "The error was logged." in page and "secret internals" not in page


def test_pages_may_not_be_framed_or_run_scripts(client: FlaskClient) -> None:
    for path in ("/", "/lists/law2210-2026", "/login", "/lists/nope"):
        headers = client.get(path).headers
        assert "frame-ancestors 'none'" in headers["Content-Security-Policy"]
        assert "default-src 'self'" in headers["Content-Security-Policy"]
        assert headers["X-Frame-Options"] == "DENY"
        assert headers["X-Content-Type-Options"] == "nosniff"


@pytest.fixture
def served(demo_db: Path) -> Iterator[str]:
    """A real ``rli serve`` (gunicorn, two workers) on a copy of the demo; its base URL."""
    port = free_port()
    log = demo_db.parent / "server.log"
    base = f"http://127.0.0.1:{port}"
    with log.open("wb") as sink, rli_process(
        "serve", "--db", str(demo_db), "--host", "127.0.0.1", "--port", str(port),
        "--workers", "2", "--prerender", "", stdout=sink, stderr=subprocess.STDOUT,
    ) as proc:
        assert wait_for(base + "/", proc, log).status_code == 200
        yield base
    assert "Traceback" not in log.read_text()


def _http_login(http: httpx.Client, name: str, password: str) -> httpx.Response:
    token = csrf_of(http.get("/login").text)
    return http.post("/login", data={"csrf": token, "name": name, "password": password})


def _rli_user(db: Path, *args: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "repository", "--db", str(db), "user", *args],
                          input=stdin, capture_output=True, text=True, check=False, timeout=60)


def test_rli_user_password_ends_every_session_on_a_real_server(
    served: str, demo_db: Path
) -> None:
    with httpx.Client(base_url=served) as http:
        assert _http_login(http, *EDITOR).status_code == 302
        page = http.get("/lists/law2210-2026").text
        assert "Change item i1" in page
        token = csrf_of(page)
        with httpx.Client(base_url=served,
                          cookies={"rli_session": http.cookies["rli_session"]}) as thief:
            assert "Change item i1" in thief.get("/lists/law2210-2026").text
            done = _rli_user(demo_db, "password", EDITOR[0], stdin="a new password\n")
            assert (done.returncode, done.stdout) == (
                0, f"user {EDITOR[0]}: password changed, 1 session ended\n"), done.stderr
            for browser in (http, thief, http, thief):  # two workers: either may answer
                page = browser.get("/lists/law2210-2026").text
                assert "Change item i1" not in page and "Log in" in page
            response = thief.post("/lists/law2210-2026/annotate", data=annotate_form(token))
            assert response.status_code == 302
            assert response.headers["Location"].startswith("/login")
    assert latest(demo_db, "law2210-2026") == 1
    with httpx.Client(base_url=served) as http:
        assert _http_login(http, *EDITOR).status_code == 401
        assert _http_login(http, EDITOR[0], "a new password").status_code == 302
        assert "Change item i1" in http.get("/lists/law2210-2026").text


def test_rli_user_role_is_seen_by_a_live_session_on_its_next_request(
    served: str, demo_db: Path
) -> None:
    # The session keeps only its id; every request reads the account (role included) afresh.
    with httpx.Client(base_url=served) as http:
        assert _http_login(http, *EDITOR).status_code == 302
        assert f"{EDITOR[0]} (editor)" in http.get("/").text
        for role, was in (("admin", "editor"), ("editor", "admin")):
            done = _rli_user(demo_db, "role", EDITOR[0], role)
            assert (done.returncode, done.stdout) == (
                0, f"user {EDITOR[0]}: role {role} (was {was})\n"), done.stderr
            for _ in range(4):  # two workers: either may answer
                page = http.get("/lists/law2210-2026").text
                assert f"{EDITOR[0]} ({role})" in page and "Change item i1" in page


def test_a_throttled_login_says_when_to_try_again(served: str) -> None:
    # RFC 6585 section 4: a 429 may carry Retry-After; here, when the window lets the name in.
    with httpx.Client(base_url=served) as http:
        token = csrf_of(http.get("/login").text)
        first = time.time()
        for _ in range(5):  # rli serve's limit: 5 within 300 s
            response = http.post("/login", data={"csrf": token, "name": EDITOR[0],
                                                 "password": "not it at all"})
            assert response.status_code == 401
        right = http.post("/login", data={"csrf": token, "name": EDITOR[0],
                                          "password": EDITOR[1]})
        elapsed = time.time() - first
        assert right.status_code == 429 and "Too many failed logins" in right.text
        assert right.headers["Retry-After"].isdigit()
        assert 300 - math.ceil(elapsed) <= int(right.headers["Retry-After"]) <= 300
        # and the page says as much (it said "a few minutes")
        minutes = math.ceil(int(right.headers["Retry-After"]) / 60)
        assert f"try again in {minutes} minute" in right.text

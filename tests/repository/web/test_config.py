"""Page settings (repository/web/config.py) and how ``rli serve`` refuses bad ones."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from repository.cli.serve import serve as serve_command
from repository.web.config import WebConfig, WebConfigError


@pytest.mark.parametrize("base", ["ftp://resolver.test/", "resolver.test", "https://r.test/#x"])
def test_an_unusable_resolver_is_refused(base: str) -> None:
    with pytest.raises(WebConfigError, match="resolver base"):
        WebConfig(resolver=base).check()


def test_a_usable_resolver_and_none_pass() -> None:
    WebConfig(resolver="https://resolver.test/openurl?sid=rli").check()
    WebConfig().check()


def test_rli_serve_refuses_a_bad_resolver_in_one_line(demo_db: Path) -> None:
    result = CliRunner().invoke(serve_command, ["--db", str(demo_db), "--resolver", "ftp://x/"])
    assert result.exit_code == 1
    assert result.output.startswith("Error: resolver base must be an absolute http(s) URL")
    assert "Traceback" not in result.output

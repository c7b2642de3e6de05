"""``rli serve``: run the OAI-PMH provider over an archive on gunicorn.

Bad settings and unusable databases end in one line on stderr and exit 1.
"""

from __future__ import annotations

import ipaddress
from pathlib import Path
from urllib.parse import urlsplit

import click

from harvester.shared.db import StoreError
from harvester.shared.protocol import OAIError
from repository.oai.provider import ProviderConfig, ProviderConfigError
from repository.web.config import WebConfig, WebConfigError


@click.command()
@click.option("--db", "db", type=click.Path(dir_okay=False, path_type=Path), envvar="RLI_DB",
              default=None, help="SQLite archive (default: the rli --db, else RLI_DB, ./rli.db).")
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=8000, show_default=True, type=click.IntRange(1, 65535))
@click.option("--workers", default=2, show_default=True, type=click.IntRange(1, 64),
              help="Worker processes.")
@click.option("--threads", default=64, show_default=True, type=click.IntRange(1, 256),
              help="Threads per worker (idle connections take none; slow ones one each,"
                   " for 5 s at most per read).")
@click.option("--base-url", envvar="RLI_BASE_URL", default=None,
              help="Public OAI base URL (behind a proxy); default http://HOST:PORT/oai.")
@click.option("--admin-email", envvar="RLI_ADMIN_EMAIL", default="admin@rli.localhost",
              show_default=True)
@click.option("--repository-name", envvar="RLI_REPOSITORY_NAME",
              default="rli resource list repository", show_default=True)
@click.option("--repository-identifier", envvar="RLI_REPOSITORY_IDENTIFIER",
              default="rli.localhost", show_default=True,
              help="The oai-identifier namespace: oai:<this>:<list id>.")
@click.option("--page-size", envvar="RLI_PAGE_SIZE", default=100, show_default=True,
              type=click.IntRange(1, 10000), help="Records per ListRecords page.")
@click.option("--identifiers-page-size", default=500, show_default=True,
              type=click.IntRange(1, 50000), help="Headers per ListIdentifiers page.")
@click.option("--sets-page-size", default=100, show_default=True,
              type=click.IntRange(1, 10000), help="Sets per ListSets page.")
@click.option("--prerender", default="oai_dc", show_default=True,
              help="Comma-separated metadataPrefixes to render and store before serving "
                   "(only what is missing); empty for none.")
@click.option("--resolver", envvar="RLI_RESOLVER", default=None,
              help="Library link-resolver base URL: a \"find it\" OpenURL link per item.")
@click.option("--proxies", envvar="RLI_PROXIES", default=0, show_default=True,
              type=click.IntRange(0, 8),
              help="Reverse proxies in front that are trusted to give the client's address "
                   "(X-Forwarded-For), for the login throttle; 0 ignores the header.")
@click.option("--private", is_flag=True,
              help="Pages need a login to read too (OAI-PMH stays open).")
@click.pass_context
def serve(
    ctx: click.Context,
    db: Path | None,
    host: str,
    port: int,
    workers: int,
    threads: int,
    base_url: str | None,
    admin_email: str,
    repository_name: str,
    repository_identifier: str,
    page_size: int,
    identifiers_page_size: int,
    sets_page_size: int,
    prerender: str,
    resolver: str | None,
    proxies: int,
    private: bool,
) -> None:
    """Serve the archive over OAI-PMH 2.0 at http://HOST:PORT/oai and as pages at /."""
    parent_db = getattr(ctx.obj, "db_path", None)
    db_path = db or parent_db or Path("rli.db")
    if not db_path.exists():
        raise click.ClickException(f"no archive at {db_path} (give --db or set RLI_DB)")
    if base_url is None and every_interface(host):
        # The base URL is in every answer, and in what harvesters keep of each record.
        raise click.ClickException(
            f"--host {host} listens on every interface, so no address of this machine is"
            " known to be the one harvesters use: give it with --base-url"
            f" (for example --base-url http://repository.example.edu:{port}/oai)")
    try:
        config = ProviderConfig(
            repository_name=repository_name,
            base_url=base_url or f"{web_address(host, port)}oai",
            admin_email=admin_email,
            repository_identifier=repository_identifier,
            records_page=page_size,
            identifiers_page=identifiers_page_size,
            sets_page=sets_page_size,
        )
        from repository.serve import check_address
        from repository.serve import serve as run

        pages = WebConfig(resolver=resolver, private=private, proxies=proxies,
                          secure_cookies=urlsplit(config.base_url).scheme == "https")
        pages.check()
        check_address(host, port)

        def announce() -> None:  # once the database and every setting are known good
            click.echo(f"rli: serving {db_path} at {config.base_url}", err=True)
            click.echo(f"rli: pages at {web_address(host, port)}", err=True)

        prefixes = [p.strip() for p in prerender.split(",") if p.strip()]
        run(db_path, host=host, port=port, workers=workers, threads=threads, config=config,
            prerender=prefixes, pages=pages, announce=announce)
    except (ProviderConfigError, StoreError, OAIError, WebConfigError) as exc:
        raise click.ClickException(str(exc)) from exc


def every_interface(host: str) -> bool:
    """Whether ``host`` binds every interface (``0.0.0.0``, ``::``): no address to give out."""
    try:
        return ipaddress.ip_address(host).is_unspecified
    except ValueError:
        return False


def web_address(host: str, port: int) -> str:
    """The pages' address for a bind host and port."""
    return f"http://[{host}]:{port}/" if ":" in host else f"http://{host}:{port}/"


def register(group: click.Group) -> None:
    """Attach ``serve`` to the ``rli`` group."""
    group.add_command(serve)


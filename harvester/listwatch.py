"""Telling a list that goes nowhere: a token seen before, empty pages, earlier pages again.

A resumption token seen before in the list stops it (RepeatedToken), and so do
MAX_EMPTY_PAGES empty pages in a row and MAX_REPEATED_PAGES pages in a row that are
earlier pages again (the same identifiers and datestamps, with a new token: a provider
that ignores its tokens' positions) (EndlessList). A page that is an earlier one
again is marked ``again`` as it comes, so that its records are not counted twice;
one such page alone is no loop (a record moved by an insertion, on a provider paging
by offset, one record a page).
"""

from __future__ import annotations

from dataclasses import replace

from harvester.envelope import Page, page_signature
from harvester.errors import EndlessList, RepeatedToken

MAX_EMPTY_PAGES = 20
MAX_REPEATED_PAGES = 3


class ListWatch:
    """What one list has sent so far (local to OAIClient.pages)."""

    def __init__(self, base_url: str) -> None:
        self.base_url = base_url
        self.tokens: set[str] = set()
        self.signatures: set[bytes] = set()
        self.empty = self.repeated = 0

    def restart(self) -> None:
        """The list starts again from its first page: nothing of it is seen yet."""
        self.tokens.clear()
        self.signatures.clear()
        self.empty = self.repeated = 0

    def asking(self, token: str | None) -> None:
        if token is not None:
            self.tokens.add(token)

    def mark(self, page: Page) -> Page:
        """``page``, marked ``again`` if it is an earlier page of the list again."""
        signature = page_signature(page)
        again = signature is not None and signature in self.signatures
        self.repeated = self.repeated + 1 if again else 0
        if signature is not None:
            self.signatures.add(signature)
        return replace(page, again=True) if again else page

    def check(self, page: Page) -> None:
        """Raise RepeatedToken or EndlessList if the list must stop after ``page``."""
        if page.token in self.tokens:
            raise RepeatedToken(f"{self.base_url}: resumptionToken {page.token!r} repeated")
        self.empty = 0 if page.items else self.empty + 1
        if self.empty >= MAX_EMPTY_PAGES:
            raise EndlessList(
                f"{self.base_url}: {self.empty} pages in a row with no item and a new token"
            )
        if self.repeated >= MAX_REPEATED_PAGES:
            raise EndlessList(f"{self.base_url}: {self.repeated} pages in a row repeat earlier"
                              " pages of the list, each with a new token")

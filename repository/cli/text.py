"""Plain-text renderings for the terminal: lists (``rli show``), histories (``rli history``),
the table of ``rli lists``."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence

from crosswalks.rli import Annotation, Item, Resource, ResourceList, Section
from repository.archive.events import Event
from repository.archive.store import ListSummary

Linker = Callable[[Resource], str]


def render_list(
    lst: ResourceList, *, version: int | None = None, link: Linker | None = None
) -> str:
    """A readable outline of a list: metadata, then items with sections indented.

    ``link`` gives a URL shown under each resource (e.g. an OpenURL for the
    library's link resolver).
    """
    head = [f"{lst.title}  [{lst.identifier}]" + (f"  version {version}" if version else "")]
    head.append(f"owner: {lst.owner}")
    if lst.courses:
        head.append("courses: " + ", ".join(lst.courses))
    if lst.description:
        head.append(f"description: {lst.description}")
    head += [_note(a, "") for a in lst.annotations]
    body = _items(lst.items, 0, link) if lst.items else ["(no items)"]
    return "\n".join(head + [""] + body)


def render_history(history: list[Event]) -> str:
    """One line per event: a version (number, time, editor, short hash, note), a deletion."""
    lines = []
    for e in history:
        if e.version is None:
            lines.append(f"deleted  {e.at}  {e.editor:<16} {'':12}  {e.note}")
        else:
            flag = "  (restored)" if e.event == "restored" else ""
            lines.append(f"v{e.version}  {e.at}  {e.editor:<16} {e.sha256[:12]}  {e.note}{flag}")
    return "\n".join(lines)


def _items(items: tuple[Item, ...], depth: int, link: Linker | None) -> list[str]:
    pad = "  " * depth
    out: list[str] = []
    for n, item in enumerate(items, start=1):
        if isinstance(item.content, Section):
            out.append(f"{pad}{n}. == {item.content.title} ==  ({item.id})")
            out += [_note(a, pad + "   ") for a in item.annotations]
            out += _items(item.content.items, depth + 1, link)
        else:
            out.append(f"{pad}{n}. {_cite(item.content)}  ({item.id})")
            out += [_note(a, pad + "   ") for a in (*item.annotations, *item.content.annotations)]
            if link is not None:
                out.append(f"{pad}   -> {link(item.content)}")
    return out


def _cite(res: Resource) -> str:
    c = res.citation
    who = "; ".join(x.name for x in c.creators[:3]) + (" et al." if len(c.creators) > 3 else "")
    parts = [p for p in (who, f"({c.publication_date})" if c.publication_date else "") if p]
    host = next((r.title for r in c.related_titles), "")
    tail = ", ".join(
        p
        for p in (
            host,
            f"vol. {c.volume}" if c.volume else "",
            f"no. {c.part}" if c.part else "",
            f"pp. {c.start_page}-{c.end_page}" if c.start_page else "",
            c.publisher,
        )
        if p
    )
    return " ".join([*parts, c.title or "(untitled)"]) + (f". {tail}" if tail else "") + (
        f"  <{res.type.value}>"
    )


def _note(a: Annotation, pad: str) -> str:
    return f"{pad}[{a.kind}] {a.text}".rstrip()


def summary_table(
    rows: Sequence[ListSummary], *, indent: str = "", owner_width: int = 20,
    pending: Mapping[str, int] | None = None,
) -> list[str]:
    """``rli lists`` rows, columns as wide as the longest id and owner (at least 24 and
    ``owner_width``), so a long identifier does not push the rest out of line; a list
    with pending changes (``pending``: id -> count) says how many."""
    id_width = max([24, *(len(r.id) for r in rows)])
    owner_width = max([owner_width, *(len(r.owner) for r in rows)])
    return [
        f"{indent}{r.id:<{id_width}} v{r.version:<3} {r.items:>3} items  {r.owner:<{owner_width}}"
        f" {r.title}{'  (deleted)' if r.deleted else ''}{_pending((pending or {}).get(r.id, 0))}"
        for r in rows
    ]


def _pending(count: int) -> str:
    return f"  ({count} pending change{'s' if count > 1 else ''})" if count else ""

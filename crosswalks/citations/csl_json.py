"""CSL-JSON export of RLI resources (the input format of citeproc processors).

See :mod:`crosswalks.citations.fields` for the type table, creator rules and losses.
"""

from __future__ import annotations

import json
from collections.abc import Sequence

from crosswalks.citations.fields import CitationFields, citation_keys, fields_of, pages, split_name
from crosswalks.rli import Resource, ResourceType

CSL_TYPES: dict[ResourceType, str] = {
    ResourceType.BOOK: "book",
    ResourceType.BOOK_CHAPTER: "chapter",
    ResourceType.JOURNAL_ARTICLE: "article-journal",
    ResourceType.JOURNAL: "periodical",
    ResourceType.WEB_PAGE: "webpage",
    ResourceType.AUDIO_VISUAL: "motion_picture",
    ResourceType.LOCAL: "manuscript",
    ResourceType.OTHER: "document",
}


def csl_name(name: str) -> dict[str, str]:
    """{"family", "given"} for "Family, Given", else {"literal": name}."""
    split = split_name(name)
    return {"family": split[0], "given": split[1]} if split else {"literal": name}


def _csl_item(item_id: str, f: CitationFields) -> dict[str, object]:
    item: dict[str, object] = {"id": item_id, "type": CSL_TYPES[f.type]}
    names = {
        "author": f.authors,
        "editor": f.editors,
        "translator": f.translators,
        "container-author": f.container_authors,
    }
    item.update({k: [csl_name(n) for n in v] for k, v in names.items() if v})
    if f.date_parts:
        # a range is CSL's two date-parts, start and end
        ranged = [f.date_parts, f.end_date_parts] if f.end_date_parts else [f.date_parts]
        item["issued"] = {"date-parts": [list(parts) for parts in ranged]}
    elif f.date:
        item["issued"] = {"raw": f.date}
    text = {
        "title": f.title,
        "container-title": f.container,
        "collection-title": f.series,
        "collection-number": f.series_number,
        "volume": f.volume,
        "issue": f.issue,
        "page": pages(f, "-"),
        "edition": f.edition,
        "publisher": f.publisher,
        "publisher-place": f.place,
        "DOI": f.dois[0] if f.dois else "",
        "ISBN": " ".join(f.isbns),
        "ISSN": " ".join(f.issns),
        "URL": f.urls[0] if f.urls else "",
        "call-number": f.shelfmarks[0] if f.shelfmarks else "",
        "language": f.language,
        "abstract": f.abstract,
        "keyword": ", ".join(f.subjects),
        "note": "\n".join(f.notes),
    }
    item.update({k: v for k, v in text.items() if v})
    return item


def to_csl_json(resources: Sequence[Resource]) -> str:
    """A JSON array of CSL items; ``id`` is the resource identifier, else its citation key."""
    all_fields = [fields_of(r) for r in resources]
    keys = citation_keys(all_fields)
    ids: list[str] = []
    seen: set[str] = set()
    for key, f in zip(keys, all_fields):
        candidate = f.identifier if f.identifier and f.identifier not in seen else key
        while candidate in seen:
            candidate += "-x"
        seen.add(candidate)
        ids.append(candidate)
    items = [_csl_item(i, f) for i, f in zip(ids, all_fields)]
    return json.dumps(items, ensure_ascii=False, indent=2)

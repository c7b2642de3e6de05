"""Hypothesis strategies for RLI values with hostile text (Unicode, control characters)."""

from __future__ import annotations

from hypothesis import strategies as st
from lxml import etree

from crosswalks.rli import (
    Annotation,
    Citation,
    Creator,
    CreatorRole,
    IdentifierType,
    Item,
    Location,
    LocationType,
    RelatedTitle,
    RelatedTitleType,
    Resource,
    ResourceList,
    ResourceType,
    Section,
    StandardIdentifier,
)
from crosswalks.xmlsafe import clean_text

# Any code point except lone surrogates (which Python str cannot encode to UTF-8):
# control characters, NUL, U+FFFE and friends are all in.
text = st.text(st.characters(blacklist_categories=("Cs",)), max_size=24)
words = st.text(st.characters(blacklist_categories=("Cs",)), min_size=1, max_size=12)

creators = st.builds(Creator, words, st.sampled_from(list(CreatorRole)))
identifiers = st.builds(StandardIdentifier, st.sampled_from(list(IdentifierType)), words)
related = st.builds(
    RelatedTitle,
    words,
    st.sampled_from(list(RelatedTitleType)),
    text,
    text,
    st.lists(creators, max_size=2).map(tuple),
    st.lists(identifiers, max_size=2).map(tuple),
)
citations = st.builds(
    Citation,
    title=text,
    creators=st.lists(creators, max_size=4).map(tuple),
    edition=text,
    publication_date=st.one_of(text, st.sampled_from(["1968", "1953-04-25", "2003-05", "c2011"])),
    publication_place=text,
    publisher=text,
    volume=text,
    part=text,
    start_page=text,
    end_page=text,
    identifiers=st.lists(identifiers, max_size=3).map(tuple),
    related_titles=st.lists(related, max_size=2).map(tuple),
)
locations = st.builds(Location, st.sampled_from(list(LocationType)), words, text)
annotations = st.builds(Annotation, text, st.sampled_from(["note", "essential", "optional"]), text)
resources = st.builds(
    Resource,
    citation=citations,
    type=st.sampled_from(list(ResourceType)),
    identifier=text,
    description=text,
    language=st.one_of(text, st.sampled_from(["en", "en-GB", "nl", "eng"])),
    format=text,
    rights=text,
    subjects=st.lists(text, max_size=3).map(tuple),
    locations=st.lists(locations, max_size=3).map(tuple),
    annotations=st.lists(annotations, max_size=2).map(tuple),
)


def _items(depth: int) -> st.SearchStrategy[tuple[Item, ...]]:
    resource_items = st.builds(Item, words, resources, st.lists(annotations, max_size=1).map(tuple))
    if depth == 0:
        return st.lists(resource_items, max_size=3).map(tuple)
    sections = st.builds(
        Item,
        words,
        st.builds(Section, text, text, _items(depth - 1)),
        st.lists(annotations, max_size=1).map(tuple),
    )
    return st.lists(st.one_of(resource_items, sections), max_size=3).map(tuple)


lists = st.builds(
    ResourceList,
    identifier=words.filter(lambda s: clean_text(s).strip() != ""),
    title=text,
    owner=text,
    description=text,
    courses=st.lists(words, max_size=2).map(tuple),
    language=text,
    rights=text,
    created=text,
    modified=text,
    items=_items(1),
    annotations=st.lists(annotations, max_size=2).map(tuple),
)


def trees(
    namespace: str, names: list[str], attributes: dict[str, list[str]], root: str
) -> st.SearchStrategy[etree._Element]:
    """Well-formed but odd records: ``root`` holding random nestings of ``names``.

    Text is any XML-legal string; attributes take plausible and implausible
    values. Readers must never fail on these.
    """
    prefix = f"{{{namespace}}}" if namespace else ""

    def build(spec: tuple[str, str, dict[str, str], list[object]]) -> etree._Element:
        name, content, attrs, children = spec
        el = etree.Element(prefix + name, attrs)
        el.text = clean_text(content)
        for child in children:
            el.append(child)  # type: ignore[arg-type]
        return el

    optional = {key: st.sampled_from([*values, "", "x"]) for key, values in attributes.items()}
    attr_values = st.fixed_dictionaries({}, optional=optional)
    leaf = st.tuples(st.sampled_from(names), text, attr_values, st.just([])).map(build)
    nodes = st.recursive(
        leaf,
        lambda kids: st.tuples(
            st.sampled_from(names), text, attr_values, st.lists(kids, max_size=4)
        ).map(build),
        max_leaves=25,
    )
    return st.lists(nodes, max_size=8).map(lambda kids: build((root, "", {}, kids)))

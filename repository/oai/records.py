"""Serialised OAI ``<record>``s for a page of list states, fast on the second sight.

Three tiers, each keyed so that it can never serve a stale record:

1. a per-process LRU (:class:`RenderCache`, passed in) of records (bytes and
   their deflate segment, see :mod:`repository.oai.compression`) keyed
   by (list, version, change seq, prefix);
2. stored renderings in the database (``provider_records``), one per (list,
   prefix), kept as the deflate segment only, valid only for the change seq and
   the *fingerprint* they were made with; shared by all workers and kept across
   restarts. The fingerprint hashes the rendering code (crosswalks and these
   modules) and the settings that appear in a record (base URL, repository
   identifier), so a code upgrade or a new base URL re-renders;
3. rendering: header and ``<about>`` (history and provenance of a page of
   lists in one query) around the metadata the archive wrote when it saved the
   version (:mod:`repository.archive.renderings`, for ``oai_dc``), spliced in
   as its stored deflate segment: about 0.1 ms a record, whatever the state of
   tier 2. Where there is none (another format, an archive written before, or
   crosswalk code changed since), the archived version is read into the RLI
   model, history and provenance attached, and written by the format's writer
   (slow: ~3 ms). Both give the same bytes.

A change seq fixes everything a record shows (version, datestamp, sets,
deletion), since every change takes a new seq. Deleted records are a bare
header and are not cached. Storing renderings is best effort: a locked or
read-only database only makes the next request slower.
"""

from __future__ import annotations

import hashlib
import threading
import zlib
from collections import OrderedDict
from collections.abc import Callable, Mapping, Sequence
from dataclasses import replace
from importlib.resources import files
from typing import TYPE_CHECKING

from lxml import etree

from crosswalks.registry import MetadataFormat
from crosswalks.rli import ResourceList, VersionInfo
from repository.archive import Archive, ListState, renderings
from repository.archive.events import with_deletions
from repository.oai import envelope as oai_xml
from repository.oai import store as oai_store
from repository.oai.compression import Rendered, spliced, whole_segment

if TYPE_CHECKING:
    from importlib.resources.abc import Traversable

Key = tuple[str, int, int, str]


class RenderCache:
    """A thread-safe LRU of serialised records, keyed by (list, version, seq, prefix)."""

    def __init__(self, size: int) -> None:
        self.size = size
        self._items: OrderedDict[Key, Rendered] = OrderedDict()
        self._lock = threading.Lock()

    def __len__(self) -> int:
        return len(self._items)

    def get(self, key: Key) -> Rendered | None:
        with self._lock:
            found = self._items.get(key)
            if found is not None:
                self._items.move_to_end(key)
            return found

    def put(self, key: Key, value: Rendered) -> None:
        with self._lock:
            self._keep(key, value)

    def offer(self, key: Key, value: Rendered) -> None:
        """Keep ``value`` only while there is room: a walk through more records than
        the cache holds would evict each before it is asked for again, at a cost on
        every record, and push out what single requests keep asking for. (Room is
        judged under the lock: two threads offering the last place cannot both take it.)"""
        with self._lock:
            if len(self._items) < self.size:
                self._keep(key, value)

    def _keep(self, key: Key, value: Rendered) -> None:
        self._items[key] = value
        self._items.move_to_end(key)
        while len(self._items) > self.size:
            self._items.popitem(last=False)


def _python_files(folder: Traversable, prefix: str = "") -> list[tuple[str, Traversable]]:
    """Every ``.py`` file under ``folder`` as (relative name, file), in name order."""
    found: list[tuple[str, Traversable]] = []
    for entry in folder.iterdir():
        if entry.is_dir():
            found += _python_files(entry, f"{prefix}{entry.name}/")
        elif entry.name.endswith(".py"):
            found.append((f"{prefix}{entry.name}", entry))
    return sorted(found, key=lambda pair: pair[0])


def fingerprint(*settings: str) -> str:
    """A short hash of the rendering code and the ``settings`` that show in records."""
    digest = hashlib.sha256()
    oai = files("repository.oai")
    sources = [source for _, source in _python_files(files("crosswalks"))]
    sources += [oai / "envelope.py", oai / "args.py", oai / "records.py"]
    for source in sources:
        digest.update(source.name.encode())
        digest.update(source.read_bytes())
    for value in settings:
        digest.update(b"\x00" + value.encode("utf-8", "replace"))
    return digest.hexdigest()[:32]


class RecordRenderer:
    """Renders pages of records for one archive (see module docstring)."""

    def __init__(
        self,
        archive: Archive,
        *,
        identifier: Callable[[str], str],
        version_url: Callable[[str, int], str],
        cache: RenderCache,
        stamp: str,
        schema_urls: Mapping[str, str] | None = None,
    ) -> None:
        self.archive = archive
        self.schema_urls = dict(schema_urls or {})
        self.identifier = identifier
        self.version_url = version_url
        self.cache = cache
        self.stamp = stamp

    def header(self, state: ListState) -> etree._Element:
        return oai_xml.header(
            self.identifier(state.list_id), state.datestamp, state.sets, state.deleted
        )

    def records(self, states: Sequence[ListState], fmt: MetadataFormat) -> list[Rendered]:
        """The serialised records for ``states``, in order; raises what the writer raises."""
        out: list[Rendered | None] = []
        missing: list[int] = []
        for n, state in enumerate(states):
            if state.deleted:
                out.append(oai_xml.serialise(oai_xml.record(self.header(state), None)))
                continue
            found = self.cache.get(_key(state, fmt))
            out.append(found)
            if found is None:
                missing.append(n)
        if missing:
            self._fill(states, missing, fmt, out)
        return [b for b in out if b is not None]

    def page(self, entries: Sequence[oai_store.PageEntry], fmt: MetadataFormat) -> list[Rendered]:
        """The records of a ListRecords page (:func:`~repository.oai.store.record_page`), in
        order: each stored one as it came, the rest as :meth:`records` gives them from the
        states the page read. Raises what the writer raises."""
        stored = [entry.stored for entry in entries if entry.stored is not None]
        if len(stored) == len(entries):  # a warm page
            return stored
        rest: list[ListState] = []
        for entry in entries:
            if entry.stored is None:
                if entry.state is None:
                    raise ValueError(f"page entry {entry.list_id!r} has no record and no state")
                rest.append(entry.state)
        made = iter(self.records(rest, fmt))
        return [entry.stored or next(made) for entry in entries]

    def _fill(
        self,
        states: Sequence[ListState],
        missing: list[int],
        fmt: MetadataFormat,
        out: list[Rendered | None],
    ) -> None:
        wanted = [(states[n].list_id, states[n].seq) for n in missing]
        stored = oai_store.stored_records(self.archive, fmt.prefix, self.stamp, wanted)
        fresh = self._render_all([states[n] for n in missing
                                  if states[n].list_id not in stored], fmt)
        for lid, _seq, data in fresh:
            stored[lid] = data
        keep = self.cache.put if len(states) == 1 else self.cache.offer
        for n in missing:
            keep(_key(states[n], fmt), stored[states[n].list_id])
            out[n] = stored[states[n].list_id]
        if fresh:
            oai_store.store_records(self.archive, fmt.prefix, self.stamp, fresh)

    def _render_all(
        self, states: Sequence[ListState], fmt: MetadataFormat
    ) -> list[tuple[str, int, Rendered]]:
        """(list id, seq, record) for live ``states``: from their saved payloads where
        the archive wrote one, else from the archived document."""
        payloads = renderings.saved(self.archive.db.conn, fmt.prefix,
                                    [(s.list_id, s.version) for s in states])
        if fmt.namespace in self.schema_urls:
            payloads = {}
        versions = oai_store.versions_of(self.archive, [s for s in states if s.list_id in payloads])
        unsaved: list[tuple[str, int, ResourceList]] = []
        done = [(s.list_id, s.seq, self._render(s, fmt, payloads.get(s.list_id),
                                                versions.get(s.list_id), unsaved))
                for s in states]
        if unsaved and fmt.prefix in renderings.SAVED_PREFIXES:
            # rendered from the document (an archive written before payloads were
            # saved, or by other crosswalk code): save them now, for any settings
            oai_store.keep_payloads(self.archive, unsaved)
        return done

    def _render(
        self,
        state: ListState,
        fmt: MetadataFormat,
        payload: renderings.Payload | None = None,
        versions: tuple[list[VersionInfo], bytes | None] | None = None,
        unsaved: list[tuple[str, int, ResourceList]] | None = None,
    ) -> Rendered:
        """One live record. ``payload`` is its metadata as the archive saved it, if any
        (a deflate segment of the bytes the format's writer gives for the archived
        document), spliced in as it is; ``versions`` its history and provenance
        (:func:`~repository.oai.store.versions_of`). Rendered from the document
        instead, the list read is added to ``unsaved``."""
        if payload is not None and versions is not None and whole_segment(payload.segment):
            history = self._with_urls(state.list_id, versions[0])
            about = self._about(state, history, versions[1])
            before, after = oai_xml.record_around(self.header(state), about)
            try:
                return spliced(before, Rendered(payload.segment, payload.crc, payload.size),
                               after)
            except zlib.error:  # damaged: render from the document instead
                pass
        lst = self.archive.get(state.list_id, state.version)
        if unsaved is not None:
            unsaved.append((state.list_id, state.version, lst))
        history = self._with_urls(state.list_id, _up_to(
            with_deletions(self.archive, state.list_id), state.version))
        metadata = fmt.write_list(replace(lst, history=history))
        if fmt.namespace in self.schema_urls and metadata.get(oai_xml.XSI_LOCATION) is None:
            # The project's schemas, where the app serves them (the extension too: RLI
            # documents carry rlix elements).
            wanted = (fmt.namespace, oai_xml.RLIX_NS)
            metadata = oai_xml.with_schema_location(
                metadata, [(ns, self.schema_urls[ns]) for ns in wanted if ns in self.schema_urls])
        about = self._about(state, history, self.archive.origin(state.list_id, state.version))
        return oai_xml.serialise(oai_xml.record(self.header(state), metadata, about))

    def _about(
        self, state: ListState, history: Sequence[VersionInfo], stored_origin: bytes | None
    ) -> list[etree._Element]:
        origin = oai_xml.provenance(stored_origin, source=state.list_id)
        statement = oai_xml.version_statement(
            history, lambda n: self.version_url(state.list_id, n),
            self.schema_urls.get(oai_xml.RLIX_NS),
        )
        return [el for el in (origin, statement) if el is not None]

    def _with_urls(self, list_id: str, history: Sequence[VersionInfo]) -> tuple[VersionInfo, ...]:
        return tuple(replace(v, url=self.version_url(list_id, v.version)) for v in history)

    def prerender(
        self,
        fmt: MetadataFormat,
        *,
        batch: int = 200,
        progress: Callable[[int], None] | None = None,
    ) -> int:
        """Render and store every live list's record in ``fmt`` not stored yet; how many done.

        Newest change first: a harvester walks oldest first, so while a first harvest
        runs beside this, the two meet in the middle instead of rendering the same
        records side by side (records stored meanwhile are skipped, batch by batch).
        """
        before, done = None, 0
        while True:
            page = oai_store.changes_before(self.archive, before, batch)
            if not page:
                return done
            live = [s for s in page if not s.deleted]
            wanted = [(s.list_id, s.seq) for s in live]
            stored = oai_store.stored_records(self.archive, fmt.prefix, self.stamp, wanted)
            fresh = self._render_all([s for s in live if s.list_id not in stored], fmt)
            if fresh:
                oai_store.store_records(self.archive, fmt.prefix, self.stamp, fresh)
            done += len(fresh)
            if progress is not None:
                progress(done)
            before = page[-1].seq


def _up_to(history: Sequence[VersionInfo], version: int) -> list[VersionInfo]:
    """The versions up to ``version``, each with the deletion that followed it (an rli
    record's history carries them, so a harvesting rli copies them), none after
    ``version`` itself: the record shows that one live (a deletion is a new change)."""
    return [replace(v, deleted_at="", deleted_by="", deletion_note="") if v.version == version
            else v for v in history if v.version <= version]


def _key(state: ListState, fmt: MetadataFormat) -> Key:
    return (state.list_id, state.version, state.seq, fmt.prefix)


"""`rli convert` reports what the target's writer cannot carry, beside what the reader lost."""

from __future__ import annotations

import subprocess
from pathlib import Path

from lxml import etree

from crosswalks import mods
from crosswalks.convert import convert
from crosswalks.rli import (
    Annotation,
    Citation,
    Creator,
    CreatorRole,
    Resource,
    ResourceList,
    ResourceType,
    binding,
)
from tests.live_server import RLI

LISTS = Path(__file__).resolve().parents[2] / "data" / "lists"
COMP = LISTS / "comp2150-2026.xml"


def _written(losses: tuple[str, ...], to: str) -> list[str]:
    return [line for line in losses if line.startswith(f"written as {to}: ")]


def test_a_list_written_as_lom_reports_its_flattened_sections_and_thin_items() -> None:
    # the report said nothing of what LOM's writer drops: only the reader's losses were in it
    got = _written(convert(COMP.read_bytes(), "rli", "lom").losses, "lom")
    assert "written as lom: sections: 5 of 5 not carried (items flattened)" in got
    assert "written as lom: items' publisher not carried as written (19 of 21)" in got
    assert "written as lom: list modified '2026-02-03T17:45:00Z' not carried" in got


def test_a_list_written_as_dc_reports_its_items_as_text() -> None:
    got = _written(convert(COMP.read_bytes(), "rli", "oai_dc").losses, "oai_dc")
    assert got == ["written as oai_dc: items: 21 resource(s) not carried as records"
                   " (oai_dc holds a list's items as text)"]
    empty = binding.write_list(ResourceList("e1", "Empty", "me"))
    assert _written(convert(empty, "rli", "oai_dc").losses, "oai_dc") == []


def test_a_list_written_as_mods_reports_annotation_authors() -> None:
    lst = ResourceList("l1", "L", "me", annotations=(Annotation("Read it", author="me",
                                                                date="2026-01-01"),))
    got = _written(convert(binding.write_list(lst), "rli", "mods").losses, "mods")
    assert got == ["written as mods: list annotations: 1 of 1 not carried as written"
                   " ('Read it')"]


BOOK = Resource(
    Citation(title="Gardens", creators=(Creator("Smith, Jo", CreatorRole.EDITOR),),
             edition="2nd ed.", publication_place="London", publication_date="2001"),
    type=ResourceType.BOOK,
)


def test_a_resource_written_as_dc_reports_edition_and_a_place_without_publisher() -> None:
    got = _written(convert(binding.write_resource(BOOK), "rli", "oai_dc").losses, "oai_dc")
    assert "written as oai_dc: edition '2nd ed.' not carried" in got
    assert "written as oai_dc: publication place 'London' not carried" in got


def test_what_a_writer_carries_is_not_reported() -> None:
    data = etree.tostring(mods.write_resource(BOOK))
    assert convert(data, "mods", "mods").losses == ()
    assert _written(convert(binding.write_resource(BOOK), "rli", "rli").losses, "rli") == []


def test_the_command_prints_the_writers_losses(tmp_path: Path) -> None:
    done = subprocess.run([*RLI, "convert", str(COMP), "--from", "rli", "--to", "lom",
                           "-o", str(tmp_path / "out.xml")],
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert "lost: written as lom: sections: 5 of 5 not carried (items flattened)" in (
        done.stderr.splitlines())
    quiet = subprocess.run([*RLI, "convert", str(COMP), "--from", "rli", "--to", "lom",
                            "--quiet", "-o", str(tmp_path / "out2.xml")],
                           capture_output=True, text=True, timeout=120)
    assert quiet.returncode == 0 and quiet.stderr == ""

"""The package layout: imports run crosswalks <- harvester <- repository, and no module circles.

Every module's imports are read with ``ast`` (lazy imports inside functions
included). ``from pkg import name`` counts as an import of ``pkg.name`` when
that is a module, else of ``pkg``.
"""

from __future__ import annotations

import ast
import shutil
from pathlib import Path

from tests import paths

PACKAGES = ("crosswalks", "harvester", "repository")
# What each package may import of ours, besides itself.
ALLOWED: dict[str, set[str]] = {
    "crosswalks": set(), "harvester": {"crosswalks"}, "repository": {"crosswalks", "harvester"},
}


def module_files(root: Path) -> dict[str, Path]:
    """Dotted module name -> file, for every module of the three packages under ``root``."""
    found: dict[str, Path] = {}
    for package in PACKAGES:
        for path in sorted((root / package).rglob("*.py")):
            parts = list(path.relative_to(root).with_suffix("").parts)
            if parts[-1] == "__init__":
                parts.pop()
            found[".".join(parts)] = path
    return found


def imports_of(name: str, path: Path, modules: dict[str, Path]) -> set[str]:
    """The modules of ours that module ``name`` imports."""
    is_package = path.name == "__init__.py"
    out: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Import):
            out.update(a.name for a in node.names if a.name.split(".")[0] in PACKAGES)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = name.split(".") if is_package else name.split(".")[:-1]
                anchor = anchor[: len(anchor) - (node.level - 1)]
                base = ".".join([*anchor, base] if base else anchor)
            if base.split(".")[0] not in PACKAGES:
                continue
            for alias in node.names:
                sub = f"{base}.{alias.name}"
                out.add(sub if sub in modules else base)
    out.discard(name)
    return out


def violations(root: Path) -> list[str]:
    """Imports against the direction, and import circles, as readable lines."""
    modules = module_files(root)
    graph = {name: imports_of(name, path, modules) for name, path in modules.items()}
    found = [
        f"{name} imports {target} (against crosswalks <- harvester <- repository)"
        for name, targets in sorted(graph.items())
        for target in sorted(targets)
        if target.split(".")[0] != name.split(".")[0]
        and target.split(".")[0] not in ALLOWED[name.split(".")[0]]
    ]
    found += [f"import circle: {' -> '.join(cycle)}" for cycle in cycles(graph)]
    return found


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """One circle per strongly connected component of more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in sorted(graph.get(v, ())):
            if w not in graph:
                continue
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for v in sorted(graph):
        if v not in index:
            visit(v)
    return found


def test_imports_run_one_way_without_circles() -> None:
    assert violations(paths.ROOT) == []


def copy_tree(tmp_path: Path) -> Path:
    for package in PACKAGES:
        shutil.copytree(paths.ROOT / package, tmp_path / package,
                        ignore=shutil.ignore_patterns("__pycache__"))
    return tmp_path


def test_an_import_against_the_direction_is_caught(tmp_path: Path) -> None:
    root = copy_tree(tmp_path)
    target = root / "crosswalks" / "openurl.py"
    target.write_text(target.read_text() + "\n\ndef _late() -> None:\n"
                      "    from harvester.shared import protocol  # noqa: F401\n")
    assert violations(root) == [
        "crosswalks.openurl imports harvester.shared.protocol "
        "(against crosswalks <- harvester <- repository)"
    ]


def test_an_import_circle_is_caught(tmp_path: Path) -> None:
    root = copy_tree(tmp_path)
    store = root / "repository" / "archive" / "store.py"
    store.write_text(store.read_text() + "\nfrom repository.cli import context  # noqa: E402\n")
    found = violations(root)
    assert len(found) == 1
    assert found[0].startswith("import circle: ") and "repository.archive.store" in found[0]
    assert "repository.cli.context" in found[0]


def test_package_relative_imports_are_resolved(tmp_path: Path) -> None:
    root = copy_tree(tmp_path)
    model = root / "crosswalks" / "rli" / "model.py"
    model.write_text(model.read_text() + "\nfrom .binding import write_list  # noqa: E402\n")
    found = violations(root)
    assert len(found) == 1 and "crosswalks.rli.model" in found[0]
    assert "crosswalks.rli.binding" in found[0]


def test_no_module_is_much_over_400_lines() -> None:
    sizes = {name: len(path.read_text().splitlines())
             for name, path in module_files(paths.ROOT).items()}
    assert {name: n for name, n in sizes.items() if n > 450} == {}

"""Imports point one way: ``api → services → models``, ``services → sync/``, ``push → services
and models``; ``sync/`` is plain Python. Read from the source (ast), so a new import that
points upward fails here, wherever it hides (inside a function too)."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def imports_of(package: str) -> dict[str, set[str]]:
    """``{module file: {imported module, ...}}`` for every Python file under ``package``."""
    found: dict[str, set[str]] = {}
    for path in sorted((ROOT / package).rglob("*.py")):
        if "migrations" in path.parts:
            continue
        names: set[str] = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                names.update(alias.name for alias in node.names)
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                names.add(node.module)
                names.update(f"{node.module}.{alias.name}" for alias in node.names)
        found[str(path.relative_to(ROOT))] = names
    return found


def offenders(package: str, forbidden: tuple[str, ...]) -> dict[str, list[str]]:
    bad: dict[str, list[str]] = {}
    for module, names in imports_of(package).items():
        hits = sorted(n for n in names if any(n == f or n.startswith(f + ".") for f in forbidden))
        if hits:
            bad[module] = hits
    return bad


@pytest.mark.parametrize(
    ("package", "forbidden"),
    [
        ("server/models", ("server.services", "server.push", "server.api", "flask")),
        ("server/services", ("server.api", "server.push", "flask", "server.extensions")),
        ("sync", ("server", "flask", "sqlalchemy")),
    ],
)
def test_layers_import_only_downward(package, forbidden):
    assert offenders(package, forbidden) == {}

"""`reports` must not import from `portal` (GUIDE.md, house rules): both use the IKM through
this app."""

from __future__ import annotations

import ast
from pathlib import Path

import aduan.reports

REPORTS = Path(aduan.reports.__file__).parent


def test_reports_never_import_the_portal():
    offenders = []
    for path in REPORTS.rglob("*.py"):
        if "tests" in path.parts:
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = ([a.name for a in node.names] if isinstance(node, ast.Import) else
                     [node.module or ""] if isinstance(node, ast.ImportFrom) else [])
            offenders += [f"{path.name}: {n}" for n in names if n.startswith("aduan.portal")]
    assert offenders == []

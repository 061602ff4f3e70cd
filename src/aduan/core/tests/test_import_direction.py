"""Imports point one way (GUIDE.md): entry apps -> services/selectors -> models, tasks modules
import services and never the reverse, domain apps never import desk/portal/api. The contracts
are in pyproject.toml ([tool.importlinter]); import-linter reads every import statement, those
inside functions too, so a lazy import does not hide a circle."""

import sys
from pathlib import Path

import pytest
from importlinter.cli import lint_imports

PYPROJECT = Path(__file__).resolve().parents[4] / "pyproject.toml"


def test_imports_point_one_way(capsys: pytest.CaptureFixture[str]) -> None:
    code = lint_imports(config_filename=str(PYPROJECT), no_cache=True, no_logo=True)
    report = capsys.readouterr().out
    assert code == 0, report
    assert "3 kept, 0 broken" in report


def test_a_service_importing_its_tasks_module_breaks_the_contract(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """The contracts are not vacuous: a package shaped like an app whose service imports its
    tasks module lazily (the circle core/jobs.py removed) is reported."""
    pkg = tmp_path / "circle_app"
    (pkg / "outbox").mkdir(parents=True)
    (pkg / "__init__.py").write_text("")
    (pkg / "outbox" / "__init__.py").write_text("")
    (pkg / "outbox" / "services.py").write_text(
        "def enqueue():\n    from circle_app.outbox.tasks import deliver\n    deliver()\n")
    (pkg / "outbox" / "tasks.py").write_text(
        "from circle_app.outbox import services\n\ndef deliver():\n    return services\n")
    config = tmp_path / "contracts.toml"
    config.write_text(
        '[tool.importlinter]\nroot_package = "circle_app"\n\n'
        '[[tool.importlinter.contracts]]\nname = "services import no tasks"\ntype = "forbidden"\n'
        'source_modules = ["circle_app.*.services"]\nforbidden_modules = ["circle_app.*.tasks"]\n')
    sys.path.insert(0, str(tmp_path))
    try:
        code = lint_imports(config_filename=str(config), no_cache=True, no_logo=True)
    finally:
        sys.path.remove(str(tmp_path))
    report = capsys.readouterr().out
    assert code == 1, report
    assert "circle_app.outbox.services -> circle_app.outbox.tasks (l.2)" in report

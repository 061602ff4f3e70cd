"""Imports point one way (GUIDE.md): entry apps -> services/selectors -> models, tasks modules
import services and never the reverse, domain apps never import desk/portal/api. The contracts
are in pyproject.toml ([tool.importlinter]); import-linter reads every import statement, those
inside functions too, so a lazy import does not hide a circle. It runs in a subprocess: in
process it reconfigures logging (dictConfig disables every existing logger)."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[4]


def lint_imports(config: Path, *, cwd: Path, path: Path | None = None) -> tuple[int, str]:
    env = dict(os.environ)
    if path is not None:
        env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(path), env.get("PYTHONPATH")]))
    done = subprocess.run(
        [sys.executable, "-c", "import sys; from importlinter.cli import lint_imports; "
         "sys.exit(lint_imports(config_filename=sys.argv[1], no_cache=True, no_logo=True))",
         str(config)], cwd=cwd, env=env, capture_output=True, text=True, timeout=300, check=False)
    return done.returncode, done.stdout + done.stderr


def test_imports_point_one_way():
    code, report = lint_imports(ROOT / "pyproject.toml", cwd=ROOT)
    assert code == 0, report
    assert "3 kept, 0 broken" in report


def test_a_service_importing_its_tasks_module_breaks_the_contract(tmp_path: Path):
    """The contract shape is not vacuous: a package shaped like an app whose service imports
    its tasks module lazily (the circle core/jobs.py removed) is reported."""
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
    code, report = lint_imports(config, cwd=tmp_path, path=tmp_path)
    assert code == 1, report
    assert "circle_app.outbox.services -> circle_app.outbox.tasks (l.2)" in report

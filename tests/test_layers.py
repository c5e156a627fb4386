"""The layers of docs/architecture.md are enforced by import-linter in `make lint`: the contract holds for
the code as it is, and a forbidden import (core reaching up into a domain app) breaks it."""

import os
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")


def _lint(root: Path) -> subprocess.CompletedProcess:
    env = os.environ | {"PYTHONPATH": str(root)}
    return subprocess.run(  # noqa: S603 (our own venv's tool on our own files)
        [str(LINT_IMPORTS), "--no-cache", str(root / "pyproject.toml")],
        cwd=root,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def _copy(tmp_path: Path) -> Path:
    shutil.copy(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    shutil.copytree(
        ROOT / "gerai",
        tmp_path / "gerai",
        ignore=shutil.ignore_patterns("static", "locale", "templates", "__pycache__", "*.html", "*.txt"),
    )
    return tmp_path


def test_the_code_keeps_its_layers(tmp_path):
    result = _lint(_copy(tmp_path))
    assert result.returncode == 0, result.stdout + result.stderr
    assert "1 kept, 0 broken" in result.stdout


def test_a_forbidden_import_breaks_the_lint(tmp_path):
    root = _copy(tmp_path)
    (root / "gerai" / "core" / "upward.py").write_text("from gerai.dashboards.models import PendingChange\n")
    result = _lint(root)
    assert result.returncode != 0
    assert "gerai.core is not allowed to import gerai.dashboards" in result.stdout
    assert "gerai.core.upward -> gerai.dashboards.models" in result.stdout

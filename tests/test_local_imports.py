"""Imports belong at the top of a module: a function-local import hides a dependency (the layers' checker still
sees it). In the apps below one is kept only for a heavy library loaded when it is needed (HiGHS, numpy beside
it, openpyxl, WeasyPrint, pyHanko, Pillow, pypdf, icalendar) and in AppConfig.ready (apps are not loaded yet when
the module is read)."""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
HEAVY = {"highspy", "numpy", "openpyxl", "weasyprint", "pyhanko", "PIL", "pypdf", "icalendar"}


def _local_imports(path: Path):
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for func in ast.walk(tree):
        if not isinstance(func, ast.FunctionDef | ast.AsyncFunctionDef):
            continue
        if path.name == "apps.py" and func.name == "ready":
            continue
        for node in ast.walk(func):
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom):
                names = [node.module or ""]
            else:
                continue
            for name in names:
                if name.split(".")[0] not in HEAVY:
                    yield f"{path.relative_to(ROOT)}:{node.lineno} {name}"


@pytest.mark.parametrize("app", ["governance", "prices", "innovation", "news", "tourism"])
def test_no_needless_function_local_imports(app):
    files = [p for p in (ROOT / "gerai" / app).rglob("*.py") if "migrations" not in p.parts]
    if app in ("news", "tourism"):
        files.append(ROOT / "tests" / f"test_{app}.py")
    assert [hit for path in files for hit in _local_imports(path)] == []

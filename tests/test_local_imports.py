"""News and tourism import at the top of the module: a function-local import hides a dependency (and the
layers' checker still sees it), so only two kinds stay inside functions: Pillow, heavy, loaded by the first
picture rather than by every web process, and AppConfig.ready's registrations, which need the app registry."""

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
FILES = [
    *sorted((ROOT / "gerai" / "news").rglob("*.py")),
    *sorted((ROOT / "gerai" / "tourism").rglob("*.py")),
    ROOT / "tests" / "test_news.py",
    ROOT / "tests" / "test_tourism.py",
]
LAZY = {"PIL"}  # heavy libraries


def _local_imports(path: Path) -> list[str]:
    found = []

    def visit(node, function: str | None) -> None:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef):
                visit(child, child.name)
                continue
            if function and function != "ready" and isinstance(child, ast.Import | ast.ImportFrom):
                names = [child.module or ""] if isinstance(child, ast.ImportFrom) else [a.name for a in child.names]
                if any(name.split(".")[0] not in LAZY for name in names):
                    found.append(f"{path.relative_to(ROOT)}:{child.lineno} in {function}(): {', '.join(names)}")
            visit(child, function)

    visit(ast.parse(path.read_text()), None)
    return found


def test_news_and_tourism_import_at_the_top():
    assert [line for path in FILES if "migrations" not in path.parts for line in _local_imports(path)] == []

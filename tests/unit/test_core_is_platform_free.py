"""The core must stay readable and testable without any chat platform or database."""

import ast
from pathlib import Path

import core

FORBIDDEN = {"telegram", "discord", "apscheduler", "sqlalchemy", "aiohttp", "httpx", "alembic", "bot"}


def imported_roots(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(), filename=str(path))
    roots: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            roots |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            roots.add(node.module.split(".")[0])
        elif isinstance(node, ast.Call) and getattr(node.func, "attr", "") == "import_module":
            if node.args and isinstance(node.args[0], ast.Constant):
                roots.add(str(node.args[0].value).split(".")[0])
    return roots


def test_core_imports_no_platform_scheduler_or_database_library():
    files = sorted(Path(core.__file__).parent.rglob("*.py"))
    assert len(files) > 10
    offenders = {str(f): sorted(imported_roots(f) & FORBIDDEN) for f in files if imported_roots(f) & FORBIDDEN}
    assert offenders == {}


def test_the_check_itself_sees_imports(tmp_path):
    sample = tmp_path / "sample.py"
    sample.write_text("import telegram.ext\nfrom sqlalchemy import select\n")
    assert imported_roots(sample) == {"telegram", "sqlalchemy"}

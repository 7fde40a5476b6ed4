"""House rule: plans/ is a domain package — no bot, botbuilder, aiohttp or msrest import,
and no clock read inside the rules."""

from __future__ import annotations

import ast
from pathlib import Path

import plans

FORBIDDEN = ("bot", "botbuilder", "aiohttp", "msrest")


def test_plans_imports_no_composition_root_or_web_stack() -> None:
    root = Path(plans.__file__).parent
    found = []
    for path in sorted(root.glob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            names = []
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module]
            found += [f"{path.name}: {n}" for n in names if n.split(".")[0] in FORBIDDEN]
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Attribute)
                and node.func.attr in ("now", "today", "utcnow", "time")
                and isinstance(node.func.value, ast.Name)
                and node.func.value.id in ("datetime", "date", "time")
            ):
                found.append(f"{path.name}: reads the clock ({ast.unparse(node)})")
    assert found == []

"""The shape of the code: layering, import cycles, collection owners, thin handlers.

Read from the source with :mod:`ast` (nothing is imported to look), so a breach names the
module and line that caused it.
"""

from __future__ import annotations

import ast
from collections import defaultdict
from pathlib import Path

from adoption.department_store import DepartmentRepository
from audience import PreferencesRepository
from bot.admin.digest import DigestRepository
from bot.roles import RoleDirectory
from bot.tenancy import Tenancy
from champions import ChampionRegistry, NudgeLog
from coaching import ProgressRepository
from plans.repository import PlanRepository
from wol_circles.repository import CircleRepository

ROOT = Path(__file__).resolve().parent.parent
DOMAIN = ("champions", "coaching", "wol_circles", "adoption", "cards", "audience", "plans")
FORBIDDEN = ("bot", "botbuilder", "aiohttp", "msrest")
PACKAGES = ("bot", *DOMAIN)
#: which package may write a collection, by the name's prefix
OWNER_OF_PREFIX = {
    "bot": "bot",
    "digest": "bot",
    "circles": "wol_circles",
    "coaching": "coaching",
    "champions": "champions",
    "adoption": "adoption",
    "audience": "audience",
    "plans": "plans",
}
WRITES = {"put", "put_many", "insert_if_absent", "delete", "change", "put_if_version"}


def modules(package: str) -> dict[str, Path]:
    """Dotted module name → file, for every module of ``package``."""
    found = {}
    for path in sorted((ROOT / package).rglob("*.py")):
        parts = path.relative_to(ROOT).with_suffix("").parts
        name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        found[name] = path
    return found


ALL = {name: path for package in PACKAGES for name, path in modules(package).items()}


def imports(path: Path, module: str) -> list[tuple[str, int]]:
    """Every module ``path`` imports (also under ``TYPE_CHECKING``), with its line."""
    tree = ast.parse(path.read_text())
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [(alias.name, node.lineno) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:  # relative: resolve against the importing package
                package = module.split(".")[: -node.level or None]
                base = ".".join([*package, base] if base else package)
            found.append((base, node.lineno))
            found += [(f"{base}.{alias.name}", node.lineno) for alias in node.names]
    return found


def test_domain_packages_import_no_bot_botbuilder_aiohttp_or_msrest() -> None:
    breaches = [
        f"{path.relative_to(ROOT)}:{line} imports {name}"
        for package in DOMAIN
        for module, path in modules(package).items()
        for name, line in imports(path, module)
        if name.split(".")[0] in FORBIDDEN
    ]
    assert breaches == []


def test_the_layering_check_sees_a_forbidden_import(tmp_path: Path) -> None:
    source = tmp_path / "rule.py"
    source.write_text("from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    import bot.app\n")
    assert ("bot.app", 3) in imports(source, "champions.rule")


def _cycle(graph: dict[str, set[str]]) -> list[str] | None:
    """One import cycle in ``graph``, or ``None``."""
    state: dict[str, int] = {}
    stack: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = 1
        stack.append(node)
        for target in sorted(graph.get(node, ())):
            if state.get(target) == 1:
                return [*stack[stack.index(target) :], target]
            if target not in state and (found := visit(target)):
                return found
        stack.pop()
        state[node] = 2
        return None

    for node in sorted(graph):
        if node not in state and (found := visit(node)):
            return found
    return None


def import_graph(packages: tuple[str, ...]) -> dict[str, set[str]]:
    mine = {name: path for package in packages for name, path in modules(package).items()}
    graph: dict[str, set[str]] = defaultdict(set)
    for module, path in mine.items():
        for name, _ in imports(path, module):
            if name in mine and name != module and not module.startswith(f"{name}."):
                graph[module].add(name)
    return graph


def test_no_import_cycles_outside_adoption() -> None:
    # adoption/graph ↔ _graph_sdk ↔ _graph_http is being untangled inside adoption/
    assert _cycle(import_graph(("bot", "champions", "coaching", "wol_circles", "cards"))) is None


def test_the_cycle_check_finds_a_cycle() -> None:
    assert _cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]


def _constants(path: Path) -> dict[str, str]:
    """Module-level ``NAME = "text"`` assignments of a module."""
    found = {}
    for node in ast.parse(path.read_text()).body:
        if not (isinstance(node, ast.Assign) and isinstance(node.value, ast.Constant)):
            continue
        if isinstance(node.value.value, str):
            for target in node.targets:
                if isinstance(target, ast.Name):
                    found[target.id] = node.value.value
    return found


def written_collections() -> dict[str, set[str]]:
    """Collection name → the packages whose code writes it (``put``/``delete``/…)."""
    constants = {module: _constants(path) for module, path in ALL.items()}
    writers: dict[str, set[str]] = defaultdict(set)
    for module, path in ALL.items():
        names = dict(constants[module])
        tree = ast.parse(path.read_text())
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and node.module in constants:
                for alias in node.names:
                    if alias.name in constants[node.module]:
                        names[alias.asname or alias.name] = constants[node.module][alias.name]
        for node in ast.walk(tree):
            if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)):
                continue
            if node.func.attr not in WRITES or not node.args:
                continue
            first = node.args[0]
            collection = (
                first.value
                if isinstance(first, ast.Constant) and isinstance(first.value, str)
                else names.get(first.id)
                if isinstance(first, ast.Name)
                else None
            )
            if collection and "." in collection:
                writers[collection].add(module.split(".")[0])
    return writers


def test_no_collection_is_written_by_two_packages() -> None:
    writers = written_collections()
    assert {"champions.registry", "champions.nudges", "coaching.progress"} <= set(writers)
    assert {"champions.nudge_slots", "circles.circles", "audience.preferences"} <= set(writers)
    assert writers["adoption.departments"] == {"adoption"}
    shared = {name: sorted(packages) for name, packages in writers.items() if len(packages) > 1}
    assert shared == {}
    strangers = {
        name: sorted(packages)
        for name, packages in writers.items()
        if packages != {OWNER_OF_PREFIX.get(name.split(".")[0], "?")}
    }
    assert strangers == {}


def test_repositories_own_disjoint_collections_under_their_prefix() -> None:
    owners = {
        "adoption": DepartmentRepository.COLLECTIONS,
        "champions": ChampionRegistry.COLLECTIONS + NudgeLog.COLLECTIONS,
        "coaching": ProgressRepository.COLLECTIONS,
        "audience": PreferencesRepository.COLLECTIONS,
        "plans": PlanRepository.COLLECTIONS,
        "wol_circles": CircleRepository.COLLECTIONS,
        "bot": RoleDirectory.COLLECTIONS + DigestRepository.COLLECTIONS + Tenancy.COLLECTIONS,
    }
    seen: dict[str, str] = {}
    for package, names in owners.items():
        for name in names:
            assert name not in seen, f"{name} is owned by {seen.get(name)} and {package}"
            seen[name] = package
            assert OWNER_OF_PREFIX[name.split(".")[0]] == package


def handler_lengths() -> dict[str, int]:
    """Lines of every function registered with ``@commands.command(...)`` in bot/commands."""
    lengths = {}
    for module, path in modules("bot").items():
        if not module.startswith("bot.commands."):
            continue
        for node in ast.walk(ast.parse(path.read_text())):
            if not isinstance(node, ast.AsyncFunctionDef):
                continue
            for decorator in node.decorator_list:
                call = decorator.func if isinstance(decorator, ast.Call) else decorator
                if isinstance(call, ast.Attribute) and call.attr == "command":
                    assert node.end_lineno is not None
                    lengths[f"{module}.{node.name}"] = node.end_lineno - node.lineno + 1
    return lengths


def test_the_largest_command_handler_is_at_most_40_lines() -> None:
    lengths = handler_lengths()
    assert len(lengths) >= 25, "every command handler is found"
    too_long = {name: n for name, n in lengths.items() if n > 40}
    assert too_long == {}


def test_test_modules_are_not_imported_as_helpers() -> None:
    borrowed = [
        f"{path.relative_to(ROOT)}:{line} imports {name}"
        for module, path in modules("tests").items()
        for name, line in imports(path, module)
        if name.startswith("tests.") and any(p.startswith("test_") for p in name.split(".")[1:3])
    ]
    assert borrowed == []

"""The layer contract: imports only run downward, and no modules import each other.

    ledger  <-  events_store  <-  projections  <-  cli, web

``ledger`` (domain and application service) imports no other project package;
``events_store`` may import ``ledger``; ``projections`` may import both; ``cli`` and the
web entry point sit on top and never import each other. Every import counts, also one
written inside a function: a lazy import is still a dependency.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
LAYERS = {"ledger": 0, "events_store": 1, "projections": 2, "cli": 3, "web": 3}


def module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def project_modules() -> dict[str, Path]:
    found: dict[str, Path] = {}
    for package in LAYERS:
        for path in sorted((ROOT / package).rglob("*.py")) if (ROOT / package).is_dir() else []:
            found[module_name(path)] = path
    return found


def imports_of(name: str, path: Path, modules: dict[str, Path]) -> set[str]:
    """The project modules a module imports (resolved to the longest known module name)."""
    targets: set[str] = set()
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            candidates = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parent = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*parent, base] if base else parent)
            candidates = [f"{base}.{alias.name}" for alias in node.names] + [base]
        else:
            continue
        for candidate in candidates:
            if candidate.split(".")[0] not in LAYERS:
                continue
            while candidate and candidate not in modules:
                candidate = candidate.rpartition(".")[0]
            if candidate and candidate != name:
                targets.add(candidate)
                break
    return targets


def graph() -> dict[str, set[str]]:
    modules = project_modules()
    return {name: imports_of(name, path, modules) for name, path in modules.items()}


def test_the_packages_exist() -> None:
    modules = project_modules()
    for package in ("ledger", "events_store", "projections", "cli"):
        assert package in modules, f"{package}/__init__.py is missing"


def upward_imports(edges: dict[str, set[str]]) -> list[str]:
    found = []
    for source, targets in edges.items():
        layer = source.split(".")[0]
        for target in targets:
            other = target.split(".")[0]
            if other != layer and LAYERS[other] >= LAYERS[layer]:
                found.append(f"{source} imports {target}")
    return sorted(found)


def cycles(edges: dict[str, set[str]]) -> list[list[str]]:
    """Tarjan's strongly connected components: every component of two or more modules is a cycle."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for target in sorted(edges.get(node, ())):
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for node in sorted(edges):
        if node not in index:
            visit(node)
    return found


def test_imports_only_run_downward() -> None:
    upward = upward_imports(graph())
    assert not upward, "imports that run upward or sideways:\n" + "\n".join(upward)


def test_no_import_cycles() -> None:
    found = cycles(graph())
    assert not found, "modules that import each other: " + "; ".join(" <-> ".join(c) for c in found)


def test_the_checks_see_an_upward_import_a_sideways_one_and_a_cycle() -> None:
    fake = {"ledger.a": {"projections.b"}, "projections.b": {"projections.c"}, "projections.c": {"projections.b"},
            "cli.x": {"web.y"}, "web.y": set()}
    assert upward_imports(fake) == ["cli.x imports web.y", "ledger.a imports projections.b"]
    assert cycles(fake) == [["projections.b", "projections.c"]]


# The composition root: the only modules that construct the application, the store's wiring or
# the read side (the CLI, the web and the bench call open_system).
WIRING = {"RenjaLedger": {"events_store.bootstrap"}, "Ledger": {"events_store.bootstrap"},
          "System": {"projections.system"}, "ReadSide": {"projections.system"}}


def constructions(path: Path) -> set[str]:
    """The names of WIRING the module calls as constructors."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in WIRING:
            found.add(node.func.id)
    return found


def test_only_the_composition_root_wires_the_ledger() -> None:
    misplaced = sorted(f"{name} constructs {made}" for name, path in project_modules().items()
                       for made in constructions(path) if name not in WIRING[made])
    assert misplaced == []


def test_the_wiring_check_sees_a_construction(tmp_path: Path) -> None:
    module = tmp_path / "stray.py"
    module.write_text("from projections.views import ReadSide\nread = ReadSide(app, index, postgres=False)\n")
    assert constructions(module) == {"ReadSide"}


# The read API: the CLI and the web (the bench included) ask every question of the ledger through
# ReadSide (projections.views), the one read side the composition root wires. They import none of
# the projection functions its methods are use cases over, nor the time index, the read model or a
# fold, and never reach into the wired ledger for its index, its read model or its repository.
READ_API_COVERS = {
    "TimeIndex", "CurrentStateProjection", "fold_line", "fold_bodies", "plan_view", "find_line",
    "build_report", "check_reportable", "run_checks", "registered", "check_plan", "line_history", "line_story",
    "history_report", "diff_report", "diff_between", "diff_views", "perubahan_dppa", "pagu_of", "pagu_at",
    "realised_at", "line_execution", "preview_report", "preview_command", "sipd_diff", "accounts", "account",
    "verify_chain", "verify_ledger", "export_events", "read_export", "ensure_empty", "load_export",
}
READERS = ("cli", "web")
LEDGER_PARTS = {"index", "current", "repository"}
# How these modules name the wired ledger or its read side (a System, the CLI's Settings, a ReadSide).
WIRED = re.compile(r"(^|\.)(ledger|system|app|ctx_settings|read|reader|read_side)(\(\))?$|^settings\(ctx\)$")


def read_side_bypasses(path: Path) -> set[str]:
    """A covered name the module imports, or a part of the wired ledger it reaches into."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and (node.module or "").split(".")[0] in LAYERS:
            found |= {f"imports {alias.name}" for alias in node.names if alias.name in READ_API_COVERS}
        elif isinstance(node, ast.Attribute) and node.attr in LEDGER_PARTS and WIRED.search(ast.unparse(node.value)):
            found.add(f"reads {ast.unparse(node)}")
    return found


def test_the_cli_and_the_web_read_only_through_the_read_side() -> None:
    bypasses = sorted(f"{name} {what}" for name, path in project_modules().items()
                      if name.split(".")[0] in READERS for what in read_side_bypasses(path))
    assert bypasses == []


def test_the_read_side_check_sees_a_covered_import_and_a_reach_into_the_index(tmp_path: Path) -> None:
    module = tmp_path / "stray.py"
    module.write_text("from projections.checks import run_checks\nfrom projections.reports import ReportKind\n"
                      "rows = settings(ctx).index.plans()\nstate = ledger.read_side().current.plan_lines('x', 1)\n"
                      "where = layout.index\n")
    assert read_side_bypasses(module) == {"imports run_checks", "reads settings(ctx).index",
                                          "reads ledger.read_side().current"}

"""The README documents every task and setting, and CI runs the README's test command."""
from __future__ import annotations

import re
from pathlib import Path

from invoke import Collection

import tasks
from plugin import figures, hooks

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")


def test_readme_documents_every_task():
    for name in Collection.from_module(tasks).task_names:
        assert f"`invoke {name}`" in README, name


def test_readme_documents_every_plugin_setting():
    for setting, default in hooks.DEFAULTS.items():
        assert f"| `{setting}` | `{default}` |" in README, setting


def test_readme_documents_every_table():
    for table in figures.TABLES:
        assert f"{{{{table {table}}}}}" in README, table


def test_readme_shows_exactly_two_setup_commands_and_ci_runs_the_test_one():
    block = re.search(r"## Set-up: two commands.*?```sh\n(.*?)```", README, re.DOTALL).group(1)
    commands = [line for line in block.splitlines() if line.strip()]
    assert len(commands) == 2
    assert commands[0].endswith("invoke build") and commands[1].endswith("invoke test")
    assert commands[1] in (ROOT / ".ci" / "run").read_text(encoding="utf-8")


#: The engine's packages in the order data flows through them; each imports only from earlier ones.
LAYERS = ("dataset", "charting", "charts", "plugin", "tools")


def _layout() -> dict[str, list[str]]:
    """The README's layout block: each top-level entry with the modules listed under it."""
    block = re.search(r"## Layout\n.*?```\n(.*?)```", README, re.DOTALL).group(1)
    entries: dict[str, list[str]] = {}
    top = None
    for line in block.splitlines():
        if re.match(r"\S", line):
            top = line.split()[0]
            entries[top] = []
        elif re.match(r"  \S", line):
            entries[top].append(line.split()[0])
    return entries


def test_readme_layout_matches_the_tree():
    entries = _layout()
    for entry, modules in entries.items():
        assert (ROOT / entry.rstrip("/")).exists(), f"README lists {entry}, which does not exist"
        for module in modules:
            assert (ROOT / entry / module).is_file(), f"README lists {entry}{module}, which does not exist"
    for package in LAYERS:
        assert f"{package}/" in entries, f"README's layout does not list {package}/"
        if package == "charts":
            continue
        on_disk = sorted(p.name for p in (ROOT / package).glob("*.py") if p.name != "__init__.py")
        assert sorted(entries[f"{package}/"]) == on_disk, f"{package}/: README lists {sorted(entries[f'{package}/'])}, the tree has {on_disk}"


def test_tests_mirror_the_packages():
    for package in LAYERS:
        assert (ROOT / "tests" / package).is_dir() and any((ROOT / "tests" / package).glob("test_*.py")), f"tests/{package}/ has no tests"
    loose = sorted(p.name for p in (ROOT / "tests").glob("test_*.py"))
    assert loose == ["test_code.py", "test_docs.py", "test_workflows.py"], "tests of a package go in its folder under tests/"


def test_charts_holds_the_chart_modules_only():
    from charting import registry

    modules = sorted(p.stem for p in (ROOT / "charts").glob("*.py") if p.name != "__init__.py")
    assert modules == sorted(registry.discover())


def test_each_package_imports_only_from_the_layers_before_it():
    import ast

    for index, package in enumerate(LAYERS):
        allowed = set(LAYERS[: index + 1])
        for path in sorted((ROOT / package).glob("*.py")):
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                names = [alias.name for alias in node.names] if isinstance(node, ast.Import) else [node.module or ""] if isinstance(node, ast.ImportFrom) and not node.level else []
                for name in names:
                    top = name.split(".")[0]
                    assert top not in LAYERS or top in allowed, f"{path.relative_to(ROOT)} imports {name}, from a later layer than {package}"

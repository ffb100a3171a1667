"""The README documents every task and setting, and CI runs the README's test command."""
from __future__ import annotations

import re
from pathlib import Path

from invoke import Collection

import tasks
from charts import html, pelican_plugin

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")


def test_readme_documents_every_task():
    for name in Collection.from_module(tasks).task_names:
        assert f"`invoke {name}`" in README, name


def test_readme_documents_every_plugin_setting():
    for setting, default in pelican_plugin.DEFAULTS.items():
        assert f"| `{setting}` | `{default}` |" in README, setting


def test_readme_documents_every_table():
    for table in html.TABLES:
        assert f"{{{{table {table}}}}}" in README, table


def test_readme_shows_exactly_two_setup_commands_and_ci_runs_the_test_one():
    block = re.search(r"## Set-up: two commands.*?```sh\n(.*?)```", README, re.DOTALL).group(1)
    commands = [line for line in block.splitlines() if line.strip()]
    assert len(commands) == 2
    assert commands[0].endswith("invoke build") and commands[1].endswith("invoke test")
    assert commands[1] in (ROOT / ".ci" / "run").read_text(encoding="utf-8")

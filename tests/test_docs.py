"""Docs stay in step with the code (Datasette's test_settings_are_documented): every plugin option
and every `kb` command is in README.md, and README documents nothing that does not exist."""

from __future__ import annotations

import re
import struct
from pathlib import Path

import click
import pytest

from kb_tools.cli import main
from kb_tools.site.config import KbConfig

REPO = Path(__file__).resolve().parent.parent
README = (REPO / "README.md").read_text(encoding="utf-8")


def _section(title_start: str) -> str:
    """The README section whose ``## `` heading starts with ``title_start``."""
    match = re.search(rf"^## {re.escape(title_start)}.*?$(.*?)(?=^## |\Z)", README, re.M | re.S)
    assert match, f"README.md has no section “## {title_start}…”"
    return match.group(1)


def _leaf_commands(group: click.Group = main, path: tuple[str, ...] = ()) -> list[str]:
    out = []
    for name, command in sorted(group.commands.items()):
        if isinstance(command, click.Group):
            out += _leaf_commands(command, (*path, name))
        else:
            out.append(" ".join((*path, name)))
    return out


OPTIONS = [name for name, _ in KbConfig._schema]
COMMANDS = _leaf_commands()


@pytest.mark.parametrize("option", OPTIONS)
def test_plugin_option_is_documented(option: str):
    assert re.search(rf"^\| `{option}` \|", _section("插件配置"), re.M), f"README 插件配置 lacks `{option}`"


def test_documented_options_exist():
    documented = re.findall(r"^\| `(\w+)` \|", _section("插件配置"), re.M)
    assert sorted(documented) == sorted(OPTIONS)


@pytest.mark.parametrize("command", COMMANDS)
def test_command_is_documented(command: str):
    assert re.search(rf"^\| `kb {re.escape(command)}[` ]", _section("命令"), re.M), (
        f"README 命令 lacks a row for `kb {command}`"
    )


def test_documented_commands_exist():
    rows = re.findall(r"^\| `kb ([^`]+)`", _section("命令"), re.M)
    names = []
    for row in rows:
        words = [w for w in row.split() if re.fullmatch(r"[a-z][a-z-]*", w)]
        # "new law 标题" -> "new law"; "build [--strict]" -> "build"
        names.append(" ".join(words[:2]) if words[:2] and " ".join(words[:2]) in COMMANDS else words[0])
    assert sorted(names) == sorted(COMMANDS)


@pytest.mark.parametrize("command", COMMANDS)
def test_documented_flags_exist(command: str):
    """Flags shown in README's row for a command are real options of that command."""
    row = re.search(rf"^\| `kb {re.escape(command)}(?P<usage>[^`]*)`", _section("命令"), re.M)
    assert row
    cmd: click.Command = main
    for part in command.split():
        cmd = cmd.commands[part]  # type: ignore[attr-defined]
    known = {opt for param in cmd.params for opt in getattr(param, "opts", [])}
    for flag in re.findall(r"(?<![\w-])(--?[a-z][a-z-]*)", row.group("usage")):
        assert flag in known, f"README shows `{flag}` for `kb {command}`, which has no such option"


def test_addresses_in_readme_match_the_model():
    from kb_tools.laws.model import article_anchor

    section = _section("地址")
    assert f"#{article_anchor(8)}" in section
    assert f"#{article_anchor(10, 1)}" in section


def test_manual_screenshots_page_shows_every_picture_and_they_stay_small():
    """docs/manual/screenshots.md is written by scripts/screenshots.py with the PNGs beside it."""
    manual = REPO / "docs" / "manual"
    text = (manual / "screenshots.md").read_text(encoding="utf-8")
    pictures = re.findall(r"\]\((screenshots/[^)]+\.png)\)", text)
    assert len(pictures) >= 16 and any(p.endswith("-phone.png") for p in pictures)
    assert all((manual / p).is_file() for p in pictures), [p for p in pictures if not (manual / p).is_file()]
    total = sum((manual / p).stat().st_size for p in pictures)
    assert total < 3 * 1024 * 1024, total
    for png in pictures:  # viewport-sized, not full-page captures
        width, height = _png_size(manual / png)
        assert (width, height) in ((1366, 900), (390, 844)), (png, width, height)


def _png_size(path: Path) -> tuple[int, int]:
    head = path.read_bytes()[:24]
    assert head[:8] == b"\x89PNG\r\n\x1a\n", path
    return struct.unpack(">II", head[16:24])


def test_every_declared_list_of_the_site_is_in_the_navigation():
    """A list added under docs/lists/ is otherwise reachable only from lists/ (not from the 清单 tab)."""
    nav = (REPO / "mkdocs.yml").read_text(encoding="utf-8")
    declared = sorted(p.parent.name for p in (REPO / "docs" / "lists").glob("*/list.yaml"))
    assert len(declared) >= 5
    assert [name for name in declared if f"lists/{name}/index.md" not in nav] == []


def test_manual_lists_every_field_and_type_of_the_power_list():
    """The power list's fields and types are told in the manual (staff pages no longer show them)."""
    from kb_tools.powers.model import INSPECTION_FIELDS, POWER_FIELDS, PowerType

    manual = (REPO / "docs" / "manual" / "authors.md").read_text(encoding="utf-8").replace("\n  ", "")
    section = manual[manual.index("{#lists}"):manual.index("{#sample-data}")]
    assert "、".join(f.key for f in POWER_FIELDS) in section
    assert "、".join(f.key for f in INSPECTION_FIELDS) in section
    assert "、".join(t.value for t in PowerType) in section

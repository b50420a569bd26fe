"""The `kb` command line: help in Chinese and English, exit codes, build, public build, scaffolding."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from kb_tools.cli import main
from tests.conftest import BUILDING_LAW, law_page, make_config, read, write_files

CJK = re.compile(r"[\u4e00-\u9fff]")
ENGLISH = re.compile(r"\b[A-Za-z]{3,}\b")
PRIVATE_TITLE = "内部保密管理规定"
# An ASCII token survives segmentation whole, so it would show in a pre-segmented search index too.
PRIVATE_TEXT = "这一句只应出现在内网版中 zqxjsecret"


def commands(
    group: click.Command = main, path: tuple[str, ...] = ()
) -> Iterator[tuple[tuple[str, ...], click.Command]]:
    """Every command and sub-command of `kb`, with its path."""
    yield path, group
    if isinstance(group, click.Group):
        for name, command in sorted(group.commands.items()):
            yield from commands(command, (*path, name))


ALL_COMMANDS = [path for path, _ in commands()]


@pytest.mark.parametrize("path", ALL_COMMANDS, ids=lambda p: " ".join(p) or "kb")
def test_every_command_has_bilingual_help(path: tuple[str, ...]):
    result = CliRunner().invoke(main, [*path, "--help"])
    assert result.exit_code == 0, result.output
    assert result.output.startswith("Usage: ")
    command = dict(commands())[path]
    summary = (command.help or "").strip().splitlines()[0]
    assert CJK.search(summary) and ENGLISH.search(summary), f"kb {' '.join(path)}: help must be 中文 / English"
    assert "-h, --help" in result.output
    # -h works as well as --help.
    assert CliRunner().invoke(main, [*path, "-h"]).output == result.output


def test_version_and_unknown_command():
    runner = CliRunner()
    result = runner.invoke(main, ["--version"])
    assert result.exit_code == 0
    assert re.search(r"\d+\.\d+", result.output)
    result = runner.invoke(main, ["没有这个命令"])
    assert result.exit_code == 2
    assert "No such command" in result.output


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A small site with one public and one private regulation, the working directory."""
    write_files(tmp_path / "docs", {
        "index.md": "# 首页\n\n<!-- kb:home -->\n",
        "laws/建筑法.md": BUILDING_LAW,
        "laws/内部.md": law_page(PRIVATE_TITLE, f"第一条 {PRIVATE_TEXT}。", level="规范性文件", public=False,
                                 authority="某某局内部机构", promulgated="2026-01-05"),
        "notes/内部通知.md": f"---\npublic: false\n---\n# 内部通知\n\n{PRIVATE_TEXT}。\n",
        "notes/公开通知.md": "# 公开通知\n\n依据《中华人民共和国建筑法》第八条办理。\n",
    })
    make_config(tmp_path, {"search_index": True})
    monkeypatch.chdir(tmp_path)
    return tmp_path


def leaks(root: Path, *secrets: str) -> list[str]:
    """Files below root whose bytes contain any secret (pages, lists, sitemaps, search index shards …)."""
    needles = [secret.encode("utf-8") for secret in secrets]
    return [str(path.relative_to(root)) for path in sorted(root.rglob("*"))
            if path.is_file() and any(needle in path.read_bytes() for needle in needles)]


def test_build_into_a_directory(project: Path, tmp_path: Path):
    out = tmp_path / "out"
    result = CliRunner().invoke(main, ["build", "-d", str(out), "--strict"])
    assert result.exit_code == 0, result.output
    assert result.output.strip().splitlines()[-1] == f"站点已生成：{out}"
    assert (out / "laws/建筑法/index.html").is_file()
    assert PRIVATE_TITLE in read(out, "laws/by-level/index.html")  # the intranet build keeps it
    # The token is in the intranet build's files (so the public test below would see a leak).
    assert leaks(out, "zqxjsecret")
    assert not (project / "site").exists()


def test_public_build_leaves_out_private_pages_everywhere(project: Path, tmp_path: Path):
    out = tmp_path / "public"
    result = CliRunner().invoke(main, ["build", "--public", "-d", str(out)])
    assert result.exit_code == 0, result.output
    assert (out / "laws/建筑法/index.html").is_file()
    assert (out / "notes/公开通知/index.html").is_file()
    assert not (out / "laws/内部").exists()
    assert not (out / "notes/内部通知").exists()
    # No page, list, home block, sitemap or search index mentions it.
    assert leaks(out, PRIVATE_TITLE, PRIVATE_TEXT, "zqxjsecret", "某某局内部机构", "内部.md") == []
    assert "<strong>1</strong> 部法规" in read(out, "index.html")


def test_status_date_option(project: Path, tmp_path: Path):
    out = tmp_path / "out"
    result = CliRunner().invoke(main, ["build", "-d", str(out), "--status-date", "2026-01-01"])
    assert result.exit_code == 0, result.output
    # Promulgated 2026-01-05 with no effective date: not yet in force on 2026-01-01.
    assert "kb-status--not-yet-effective" in read(out, "laws/内部/index.html")


def test_failed_build_leaves_previous_site_intact(project: Path):
    runner = CliRunner()
    assert runner.invoke(main, ["build"]).exit_code == 0
    site = project / "site"
    before = {path: path.read_bytes() for path in site.rglob("*") if path.is_file()}
    write_files(project / "docs", {"laws/坏.md": "---\ntitle: 坏\nlevel: 法条\n---\n第一条 甲。\n"})
    result = runner.invoke(main, ["build", "--strict"])
    assert result.exit_code == 1
    assert result.output.strip().splitlines()[-1] == "Error: 构建失败，原有的 site/ 目录和检索索引保持不变。"
    after = {path: path.read_bytes() for path in site.rglob("*") if path.is_file()}
    assert after == before
    assert [p.name for p in project.iterdir() if "kb-staging" in p.name or "kb-old" in p.name] == []


def test_build_with_bad_config_is_a_one_line_error(project: Path):
    (project / "mkdocs.yml").write_text("site_name: [坏\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["build"])
    assert result.exit_code == 1
    assert result.output.startswith("Error: 无法读取 mkdocs.yml：")
    assert "Traceback" not in result.output


def test_build_without_the_kb_plugin(project: Path):
    (project / "mkdocs.yml").write_text("site_name: t\ntheme: {name: material}\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["build"])
    assert result.exit_code == 1
    assert result.output.strip() == "Error: mkdocs.yml 没有启用 kb 插件（plugins: - kb）。"


def test_check_exit_codes(project: Path):
    assert CliRunner().invoke(main, ["check"]).exit_code == 0
    write_files(project / "docs", {"laws/坏.md": "---\ntitle: 坏\nlevel: 法条\n---\n第一条 甲。\n"})
    assert CliRunner().invoke(main, ["check"]).exit_code == 1


def test_new_law_scaffold_passes_check(project: Path):
    runner = CliRunner()
    result = runner.invoke(main, ["new", "law", "某某局行政执法公示办法"])
    assert result.exit_code == 0, result.output
    path = project / "docs/laws/某某局行政执法公示办法.md"
    assert result.output.strip() == f"已创建 {Path('docs/laws/某某局行政执法公示办法.md')}，请补全文件头并粘贴条文。"
    text = path.read_text(encoding="utf-8")
    assert text.startswith("---\ntitle: 某某局行政执法公示办法\nlevel: 规范性文件\n")
    check = runner.invoke(main, ["check"])
    assert check.exit_code == 0, check.output
    again = runner.invoke(main, ["new", "law", "某某局行政执法公示办法"])
    assert again.exit_code == 1
    assert "已存在" in again.output
    bad = runner.invoke(main, ["new", "law", "另一部", "--level", "法条"])
    assert bad.exit_code == 1
    assert bad.output.strip().startswith("Error: 未知的效力级别“法条”，可选：宪法、法律")

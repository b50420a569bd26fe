"""A failed build changes nothing: site/ byte-identical, the whoosh index on the same generation;
killed builds' folders are cleaned; two builds at once do not run together."""

from __future__ import annotations

import fcntl
import hashlib
import os
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from kb_tools.cli import main
from kb_tools.search.engine import search
from kb_tools.search.whoosh_index import current_generation, open_index
from tests.conftest import BUILDING_LAW, make_config, write_files


def _tree(site: Path) -> dict[str, str]:
    return {str(p.relative_to(site)): hashlib.sha1(p.read_bytes()).hexdigest() for p in site.rglob("*") if p.is_file()}


def _kb(root: Path, *args: str) -> object:
    old = Path.cwd()
    os.chdir(root)
    try:
        return CliRunner().invoke(main, list(args))
    finally:
        os.chdir(old)


@pytest.fixture
def project(tmp_path: Path) -> Path:
    write_files(tmp_path / "docs", {"index.md": "# 首页\n", "laws/建筑法.md": BUILDING_LAW})
    make_config(tmp_path, {"build_lock_timeout": 0.5})
    result = _kb(tmp_path, "build")
    assert result.exit_code == 0, result.output
    return tmp_path


def test_failed_strict_build_keeps_site_and_index_generation(project: Path):
    index = project / ".kb_cache/index"
    before_site, before_gen = _tree(project / "site"), current_generation(index)
    generations = sorted(p.name for p in index.iterdir())
    law = project / "docs/laws/建筑法.md"
    law.write_text(law.read_text(encoding="utf-8").replace("title: 中华人民共和国建筑法", "title: [建筑法"),
                   encoding="utf-8")
    result = _kb(project, "build", "--strict")
    assert result.exit_code == 1
    assert _tree(project / "site") == before_site
    assert current_generation(index) == before_gen
    assert sorted(p.name for p in index.iterdir()) == generations  # the new generation was dropped
    hits = search(open_index(index), "《建筑法》第八条")
    assert hits and hits[0].url.startswith("laws/建筑法/")
    # each problem with file:line before the one-line failure
    lines = result.output.strip().splitlines()
    assert any(line.startswith("laws/建筑法.md:") and "YAML" in line for line in lines[:-1])
    assert lines[-1] == "Error: 构建失败，原有的 site/ 目录和检索索引保持不变。"


def test_successful_build_switches_index_with_site(project: Path):
    index = project / ".kb_cache/index"
    before = current_generation(index)
    law = project / "docs/laws/建筑法.md"
    law.write_text(law.read_text(encoding="utf-8") + "\n第九条 新增的一条，用来改变索引。\n", encoding="utf-8")
    assert _kb(project, "build", "--strict").exit_code == 0
    assert current_generation(index) != before
    assert "新增的一条" in (project / "site/laws/建筑法/index.html").read_text(encoding="utf-8")


def test_stale_staging_folders_of_dead_builds_are_removed(project: Path):
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
    pid = int(dead.stdout)
    stale = project / f".site.kb-staging-{pid}"
    (stale / "big").mkdir(parents=True)
    alive = project / f".site.kb-staging-{os.getppid()}"  # a live process's folder stays
    alive.mkdir()
    assert _kb(project, "build").exit_code == 0
    assert not stale.exists()
    assert alive.exists()


def test_second_build_waits_then_says_another_build_is_running(project: Path):
    with (project / ".site.kb-lock").open("a+") as handle:
        fcntl.flock(handle.fileno(), fcntl.LOCK_EX)
        result = _kb(project, "build")
        fcntl.flock(handle.fileno(), fcntl.LOCK_UN)
    assert result.exit_code == 1
    lines = result.output.strip().splitlines()
    assert lines[0].startswith("另一个构建正在进行")
    assert lines[1:] == ["Error: 构建失败，原有的 site/ 目录和检索索引保持不变。"]
    assert _kb(project, "build").exit_code == 0  # the lock is free again

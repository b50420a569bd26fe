"""`mkdocs build` writes the search indexes in a forked process while the pages render: the
result is the same as writing them afterwards, its warnings still fail --strict, and a failure
on either side leaves the previous site and index as they were, with no scratch folder behind."""

from __future__ import annotations

import hashlib
import logging
import signal
import time
from pathlib import Path

import pytest
from mkdocs.exceptions import Abort, BuildError, PluginError

from kb_tools.search.engine import search
from kb_tools.search.whoosh_index import current_generation, open_index
from kb_tools.site import index_job
from tests.conftest import BUILDING_LAW, law_page, make_config, run_build, write_files

pytestmark = pytest.mark.skipif(not index_job.can_fork(), reason="no fork on this platform")

FILES = {
    "index.md": "# 首页\n",
    "laws/建筑法.md": BUILDING_LAW,
    "laws/质量条例.md": law_page("建设工程质量管理条例", """
        ## 第一章 总 则

        第一条 为了加强对建设工程质量的管理，保证建设工程质量，制定本条例。

        第二条 凡在中华人民共和国境内从事建设工程的新建、扩建、改建等有关活动，必须遵守本条例。
        """, level="行政法规"),
    "guide.md": "# 办事指南\n\n施工许可证的申领依照《中华人民共和国建筑法》第八条。\n",
}


def _tree(folder: Path) -> dict[str, str]:
    return {p.relative_to(folder).as_posix(): hashlib.sha1(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def _project(root: Path, **options: object) -> Path:
    write_files(root / "docs", FILES)
    return make_config(root, dict(options))


def _leftovers(root: Path) -> list[str]:
    return sorted(p.name for p in root.iterdir() if p.name.startswith(index_job.SCRATCH_PREFIX))


def _state(root: Path) -> tuple[dict[str, str], object, list[str]]:
    index = root / ".kb_cache/index"
    return _tree(root / "site"), current_generation(index), sorted(p.name for p in index.iterdir())


def _built_then_edited(root: Path) -> tuple[Path, tuple[dict[str, str], object, list[str]]]:
    """A built project whose regulation was edited since: the config and the state to keep."""
    config = _project(root)
    run_build(config)
    before = _state(root)
    (root / "docs/laws/建筑法.md").write_text(BUILDING_LAW + "\n第九条 新增的一条。\n", encoding="utf-8")
    return config, before


def _assert_unchanged(root: Path, before: tuple[dict[str, str], object, list[str]]) -> None:
    """site/ byte-identical, the same live whoosh generation and no other, no scratch folder."""
    assert _state(root) == before
    assert _leftovers(root) == []


def test_background_and_in_process_indexes_are_identical(tmp_path: Path):
    background = run_build(_project(tmp_path / "a"))
    after = run_build(_project(tmp_path / "b", index_in_background=False))
    assert _tree(background / "search/kb") == _tree(after / "search/kb")
    assert (background / "search/kb/manifest.json.gz").is_file()  # the child compressed its shards
    for query in ("施工许可证", "建设工程质量", "《建筑法》第八条"):
        first = [h.url for h in search(open_index(tmp_path / "a/.kb_cache/index"), query)]
        second = [h.url for h in search(open_index(tmp_path / "b/.kb_cache/index"), query)]
        assert first == second and first
    assert _leftovers(tmp_path / "a") == []


def test_a_large_site_is_indexed_in_the_daemonic_index_process(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    """Above the size limits the one-off build keeps no term counts, so whoosh would write its
    parts in worker processes, which a daemonic process may not start: the 1,510-regulation site
    once failed so ("daemonic processes are not allowed to have children")."""
    from kb_tools.search import whoosh_index

    monkeypatch.setattr(index_job, "SHARED_TERMS_MAX_DOCS", 0)
    monkeypatch.setattr(whoosh_index, "PARALLEL_MIN_DOCS", 1)
    site = run_build(_project(tmp_path))
    assert (site / "search/kb/manifest.json").is_file()
    generation = current_generation(tmp_path / ".kb_cache/index")
    assert generation is not None and (generation / "part-1").is_dir()  # written in turn, in that process
    hits = search(open_index(tmp_path / ".kb_cache/index"), "《建筑法》第八条")
    assert hits and hits[0].url == "laws/建筑法/#article-8"


def test_a_warning_of_the_index_process_fails_strict(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    real = index_job.write_indexes

    def warn_then_write(*args: object, **kwargs: object) -> object:
        logging.getLogger("mkdocs.plugins.kb_tools.search").warning("检索索引：测试用的警告")
        return real(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(index_job, "write_indexes", warn_then_write)
    with pytest.raises(Abort):
        run_build(_project(tmp_path), strict=True)
    assert not (tmp_path / "site").exists()  # the staged output was abandoned


def test_a_failing_index_process_keeps_site_and_index(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    config, before = _built_then_edited(tmp_path)

    from kb_tools.search import whoosh_index

    def disk_full(_written: int) -> None:
        raise OSError("磁盘已满")

    monkeypatch.setattr(whoosh_index, "_after_write", disk_full)
    with pytest.raises((PluginError, RuntimeError, BuildError)) as caught:
        run_build(config)
    assert "磁盘已满" in str(caught.value)
    _assert_unchanged(tmp_path, before)


def test_a_failing_page_stops_the_index_process(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    config, before = _built_then_edited(tmp_path)
    started: list[index_job.IndexJob] = []
    real = index_job.write_indexes

    def slow(*args: object, **kwargs: object) -> object:
        time.sleep(30)  # still writing when the page fails
        return real(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(index_job, "write_indexes", slow)
    real_start = index_job.IndexJob.start

    def remember(*args: object, **kwargs: object) -> index_job.IndexJob:
        job = real_start(*args, **kwargs)  # type: ignore[arg-type]
        started.append(job)
        return job

    monkeypatch.setattr(index_job.IndexJob, "start", remember)
    from kb_tools.site import plugin

    def broken(*_args: object, **_kwargs: object) -> str:
        raise RuntimeError("页面渲染失败")

    monkeypatch.setattr(plugin, "add_penalty_cards", broken)
    with pytest.raises(RuntimeError, match="页面渲染失败"):
        run_build(config)
    assert started and started[0].process.exitcode == -signal.SIGTERM  # stopped, not waited for
    _assert_unchanged(tmp_path, before)


def test_scratch_folders_of_killed_builds_are_removed(tmp_path: Path):
    dead = tmp_path / f"{index_job.SCRATCH_PREFIX}999999999"
    (dead / "search").mkdir(parents=True)
    run_build(_project(tmp_path))
    assert not dead.exists()
    assert _leftovers(tmp_path) == []


def test_serve_keeps_what_the_index_process_learnt_and_forgets_it_after_a_failure(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    from kb_tools.search import whoosh_index
    from tests.test_rebuild import SERVE_URL, assert_same_sites, fresh_build

    config_file = _project(tmp_path / "serve")
    site = tmp_path / "serve/site"
    law = tmp_path / "serve/docs/laws/建筑法.md"
    config = load_config(config_file=str(config_file), site_dir=str(site))
    config.plugins.on_startup(command="serve", dirty=False)
    plugin = config.plugins["kb"]

    def rebuild() -> None:
        nonlocal config
        config = load_config(config_file=str(config_file), site_dir=str(site))
        config.site_url = SERVE_URL
        build(config, serve_url=SERVE_URL)

    try:
        rebuild()
        assert len(plugin.terms) > 0  # type: ignore[attr-defined]  # the child's analyses came back
        assert plugin.shard_store.previous  # type: ignore[attr-defined]  # and its index files
        law.write_text(BUILDING_LAW + "\n第九条 第一次修改。\n", encoding="utf-8")

        def disk_full(_written: int) -> None:
            raise OSError("磁盘已满")

        monkeypatch.setattr(whoosh_index, "_after_write", disk_full)
        with pytest.raises((PluginError, RuntimeError, BuildError)):
            rebuild()
        assert not plugin.shard_store.previous  # type: ignore[attr-defined]  # its folder may have changed
        monkeypatch.setattr(whoosh_index, "_after_write", None)
        law.write_text(BUILDING_LAW + "\n第九条 第二次修改。\n", encoding="utf-8")
        rebuild()
    finally:
        config.plugins.on_shutdown()
    fresh = tmp_path / "fresh"
    (fresh / "docs").mkdir(parents=True)
    import shutil

    shutil.copytree(tmp_path / "serve/docs", fresh / "docs", dirs_exist_ok=True)
    shutil.copy(config_file, fresh / "mkdocs.yml")
    fresh_build(fresh, fresh / "site")
    assert_same_sites(site, fresh / "site")
    assert _leftovers(tmp_path / "serve") == []


def test_a_warning_of_the_index_process_fails_strict_on_the_command_line(tmp_path: Path,
                                                                         monkeypatch: pytest.MonkeyPatch):
    """`mkdocs build --strict` as typed: MkDocs' logger stops propagation at ``mkdocs``."""
    from click.testing import CliRunner
    from mkdocs.__main__ import cli

    real = index_job.write_indexes

    def warn_then_write(*args: object, **kwargs: object) -> object:
        logging.getLogger("mkdocs.plugins.kb_tools.search").warning("检索索引：命令行下的测试警告")
        return real(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(index_job, "write_indexes", warn_then_write)
    config = _project(tmp_path)
    result = CliRunner().invoke(cli, ["build", "--strict", "-f", str(config)])
    assert result.exit_code != 0
    assert "命令行下的测试警告" in result.output
    assert not (tmp_path / "site").exists()

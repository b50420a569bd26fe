"""A public build never shares its search index with the intranet build."""

from pathlib import Path

from kb_tools.search.engine import search
from kb_tools.search.whoosh_index import open_index
from tests.conftest import BUILDING_LAW, law_page, make_config, run_build, write_files


def titles(index: Path, query: str) -> set[str]:
    ix = open_index(index)
    assert ix is not None, index
    return {hit.title for hit in search(ix, query, limit=20)}


def test_public_and_intranet_builds_keep_separate_indexes(tmp_path: Path):
    write_files(tmp_path / "docs", {
        "index.md": "# 首页\n",
        "laws/建筑法.md": BUILDING_LAW,
        "laws/内部.md": law_page("内部规定", "第一条 施工许可证的内部审查口径。", level="规范性文件", public=False),
    })
    run_build(make_config(tmp_path, {"public_build": True}))
    public = tmp_path / ".kb_cache" / "index-public"
    intranet = tmp_path / ".kb_cache" / "index"
    assert public.is_dir() and not intranet.exists()
    assert "内部规定" not in titles(public, "施工许可证")
    assert "中华人民共和国建筑法" in titles(public, "施工许可证")
    # The intranet build afterwards writes its own folder; the public index still has no private page.
    run_build(make_config(tmp_path))
    assert "内部规定" in titles(intranet, "施工许可证")
    assert "内部规定" not in titles(public, "施工许可证")

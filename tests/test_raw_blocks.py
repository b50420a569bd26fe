"""Generated pages' finished HTML skips Python-Markdown (kb_tools.site.raw_blocks): the pages come
out the same as when Markdown parses it, anchors inside still count for MkDocs' link check, and
an author's Markdown is never touched."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from kb_tools.site import plugin
from kb_tools.site.raw_blocks import MARK, anchor_ids, restore_raw_blocks, stash_raw_blocks
from tests.conftest import REPO, make_config, run_build

#: A slice of the repository's docs with every kind of generated page: a regulation with an
#: older version (新旧对照), indexes, the power list, a declared list with its entries, a study
#: plan, policy documents and the 罚则索引.
SLICE = ["index.md", "laws/行政复议法.md", "laws/行政复议法", "laws/行政复议法实施条例.md", "laws/建筑法.md",
         "laws/行政处罚法.md", "powers", "lists/discretion", "study", "policies/2024"]


def test_blocks_that_start_and_end_with_a_block_tag_are_kept_aside():
    markdown = "\n\n".join([
        "# 标题", '<div class="a" id="x">甲</div>', '<a href="b">行内开头</a>：是段落',
        '<div markdown="1">**要转换**</div>', "<table><tr><td>乙</td></tr></table>", "<!-- 注释 -->"])
    stash: list[str] = []
    out = stash_raw_blocks(markdown, stash)
    assert stash == ['<div class="a" id="x">甲</div>', "<table><tr><td>乙</td></tr></table>"]
    assert MARK.format(0) in out and MARK.format(1) in out
    assert '<a href="b">行内开头</a>：是段落' in out and '<div markdown="1">' in out
    assert restore_raw_blocks(out, stash) == markdown


def test_pages_with_code_fences_are_left_alone():
    markdown = "```html\n<div>例子</div>\n\n<div>还在代码块里</div>\n```\n"
    stash: list[str] = []
    assert stash_raw_blocks(markdown, stash) == markdown and stash == []


def test_anchor_ids_as_mkdocs_collects_them():
    blocks = ['<section id="article-3"><a name="old-3"></a><input name="q"><span id=\'s&amp;1\'>x</span></section>']
    assert anchor_ids(blocks) == {"article-3", "old-3", "s&1"}


def _site(root: Path) -> Path:
    for rel in SLICE:
        source, target = REPO / "docs" / rel, root / "docs" / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        if source.is_dir():
            shutil.copytree(source, target)
        else:
            shutil.copy2(source, target)
    return make_config(root, {"search_index": False})


def _pages(site: Path) -> dict[str, str]:
    return {p.relative_to(site).as_posix(): p.read_text(encoding="utf-8") for p in site.rglob("*.html")}


def test_generated_pages_are_the_same_as_when_markdown_parses_their_html(tmp_path: Path,
                                                                          monkeypatch: pytest.MonkeyPatch):
    kept = _pages(run_build(_site(tmp_path / "kept")))
    with monkeypatch.context() as patch:
        patch.setattr(plugin, "stash_raw_blocks", lambda markdown, stash: markdown)
        parsed = _pages(run_build(_site(tmp_path / "parsed")))
    assert kept.keys() == parsed.keys()
    assert {"laws/penalties/index.html", "powers/index.html", "lists/discretion/index.html"} <= kept.keys()
    between_tags = re.compile(r">\s+<")  # Markdown puts a newline between blocks on one line
    differ = [page for page in kept if between_tags.sub("><", kept[page]) != between_tags.sub("><", parsed[page])]
    assert differ == []
    assert not any("kb:raw" in html for html in kept.values())


def test_a_link_to_an_anchor_inside_a_kept_block_passes_the_link_check(tmp_path: Path,
                                                                        monkeypatch: pytest.MonkeyPatch):
    from mkdocs.exceptions import Abort

    (tmp_path / "docs/laws").mkdir(parents=True)
    shutil.copy2(REPO / "docs/laws/建筑法.md", tmp_path / "docs/laws/建筑法.md")
    (tmp_path / "docs/index.md").write_text("# 首页\n\n[罚则表](laws/penalties.md#kb-pen-table)\n", encoding="utf-8")
    config = make_config(tmp_path, {"search_index": False}, validation={"anchors": "warn"})
    site = run_build(config, strict=True)
    assert 'id="kb-pen-table"' in (site / "laws/penalties/index.html").read_text(encoding="utf-8")
    monkeypatch.setattr(plugin, "anchor_ids", lambda blocks: set())
    with pytest.raises(Abort):
        run_build(config, strict=True)

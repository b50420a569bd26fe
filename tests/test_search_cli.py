"""`kb search`: ranked article hits, JSON, filters; any input gives results or one line."""

from __future__ import annotations

import json
import random

import pytest
from click.testing import CliRunner

from kb_tools.cli import main
from tests.conftest import make_config
from tests.search_fixtures import write_docs


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    root = tmp_path_factory.mktemp("cli")
    write_docs(root)
    config = make_config(root)
    # The first search builds the index; later ones open it without reading docs/ again.
    result = CliRunner().invoke(main, ["search", "施工许可证", "-f", str(config)])
    assert result.exit_code == 0, result.output
    return config


def run(config, *args):
    result = CliRunner().invoke(main, ["search", *args, "-f", str(config)])
    return result


def test_search_prints_ranked_articles_with_status_snippet_and_url(site):
    result = run(site, "施工许可证要什么条件", "--limit", "3")
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0] == "1. 《中华人民共和国建筑法》第八条 [有效]"
    assert "【施工许可证】" in lines[1] and "【条件】" in lines[1]
    assert lines[2].strip() == "laws/建筑法/#article-8"


def test_json_output_has_the_documented_fields(site):
    result = run(site, "《建筑法》第八条", "--json", "-n", "2")
    assert result.exit_code == 0, result.output
    hits = json.loads(result.output)
    assert len(hits) == 2
    assert hits[0]["title"] == "中华人民共和国建筑法" and hits[0]["article"] == "第八条"
    assert hits[0]["url"] == "laws/建筑法/#article-8" and hits[0]["status"] == "有效"
    assert isinstance(hits[0]["score"], float) and isinstance(hits[0]["snippet"], str)


def test_non_article_hits_have_a_null_article(site):
    hits = json.loads(run(site, "检索词典 专门用语", "--json").output)
    assert any(h["article"] is None and h["url"].startswith("manual/") for h in hits)


def test_status_and_level_options_filter(site):
    hits = json.loads(run(site, "行政复议申请", "--json", "--status", "已修改").output)
    assert hits and {h["status"] for h in hits} == {"已修改"}
    hits = json.loads(run(site, "许可证", "--json", "--level", "法律", "-n", "50").output)
    assert hits and {h["level"] for h in hits} == {"法律"}


def test_no_results_is_one_line(site):
    result = run(site, "量子纠缠超导体")
    assert result.exit_code == 0
    assert result.output.strip().count("\n") == 0 and "没有找到" in result.output
    assert json.loads(run(site, "量子纠缠超导体", "--json").output) == []


NASTY = [
    "", " ", '"', '""', '"施工许可证', "施工许可证\"", "-", "--", "- -", "-施工", ":", "level:", "status:",
    "level:不存在", "law:不存在的法", "第条", "第零条", "第0条", "0条", "第99999999999999999999条", "之一",
    "第八条之", "《", "》", "《》", "《建筑法", "((((", "))", "[", "]", "{}", "*", "?", "\\", "/", "%", "%%",
    "\x00", "\x00施工", "\x1b[31m施工", "\ud800", "\u200b\u200b", "\ufeff施工", "\t\n\r", "NOT", "AND OR",
    "施工 OR 许可", "a" * 10_000, "施工" * 5_000, "国务院令第号", "〔2020〕号", "令第999999999999号",
    "<script>alert(1)</script>", "' OR 1=1 --", "${jndi:x}", "😀🏗️", "ＡＢＣ", "１２条", "level:法律 status:有效",
]


def random_queries(n: int, seed: int = 6) -> list[str]:
    """Random mixtures of query syntax, Chinese words and junk characters."""
    rng = random.Random(seed)
    parts = ['"', "-", ":", "《", "》", "第", "条", "之", "8", "八", "建筑法", "施工", "level:", "status:有效",
             "\x00", "\x7f", " ", "\u3000", "？", "号", "〔", "〕", "\\", "%", "🙂", "许可证", "怎么办", "*"]
    return ["".join(rng.choice(parts) for _ in range(rng.randint(1, 12))) for _ in range(n)]


@pytest.mark.parametrize("query", NASTY + random_queries(60))
def test_any_input_gives_results_or_one_line_never_a_traceback(site, query):
    for args in ([query], [query, "--json"]):
        result = run(site, *args)
        assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
        assert "Traceback" not in result.output
        if "--json" in args and result.exit_code == 0:
            assert isinstance(json.loads(result.output), list)
        elif result.exit_code == 0 and not result.output.startswith("1. "):
            assert result.output.strip().count("\n") == 0, result.output


def test_search_help_is_bilingual():
    result = CliRunner().invoke(main, ["search", "--help"])
    assert result.exit_code == 0 and "全文检索" in result.output and "Full-text search" in result.output

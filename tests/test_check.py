"""`kb check`: one line per problem (`file:line: what`) and a `  → fix` line, in Chinese; exit 1 on
errors, 0 when there are only warnings; `mkdocs build --strict` fails on the same errors."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from mkdocs.exceptions import Abort

from kb_tools.cli import main
from tests.conftest import make_config, run_build, write_files

GOOD = "---\ntitle: 甲法\nlevel: 法律\npromulgated: 2020-01-01\n---\n\n第一条 甲。\n\n第二条 乙。\n"

#: name -> (files below docs/, expected output lines of `kb check`, exit code)
CASES: dict[str, tuple[dict[str, str | bytes], list[str], int]] = {
    "missing-front-matter": (
        {"laws/无头.md": "第一条 没有文件头。\n"},
        ["docs/laws/无头.md:1: 法规页面缺少文件头（front matter）。",
         "  → 请在文件开头加上 ---、title、level 等字段和结束的 ---，或用 `kb import` 导入原文。"],
        1,
    ),
    "unparseable-front-matter": (
        {"laws/坏.md": "---\ntitle: 坏\nlevel: 法律\nauthority: [未闭合\n---\n\n第一条 甲。\n"},
        ["docs/laws/坏.md:4: 文件头（front matter）不是合法的 YAML：expected ',' or ']', but got '<stream end>'。",
         "  → 常见原因：冒号后缺空格、引号不成对、缩进不一致、用了中文冒号“：”分隔字段名和值。"],
        1,
    ),
    "unclosed-front-matter": (
        {"laws/坏.md": "---\ntitle: 坏\nlevel: 法律\n\n第一条 甲。\n"},
        ["docs/laws/坏.md:1: 文件头（front matter）以 --- 开始，但没有结束的 --- 行。",
         "  → 请在文件头最后一个字段之后单独加一行 ---。"],
        1,
    ),
    "missing-title": (
        {"laws/无题.md": "---\nlevel: 法律\n---\n\n第一条 甲。\n"},
        ["docs/laws/无题.md:1: 文件头缺少必填字段 `title`。", "  → 请在文件头中加上 `title: …`。"],
        1,
    ),
    "unknown-level": (
        {"laws/级别.md": "---\ntitle: 级别\nlevel: 法条\n---\n\n第一条 甲。\n"},
        ["docs/laws/级别.md:3: 字段 `level` 的值无效：未知的效力级别“法条”。",
         "  → 效力级别可选：宪法、法律、行政法规、监察法规、司法解释、部门规章、地方性法规、地方政府规章、规范性文件、"
         "党内法规、其他。"],
        1,
    ),
    "misspelt-key": (
        {"laws/拼错.md": "---\ntitle: 拼错\nlevel: 法律\nefective: 2020-01-01\n---\n\n第一条 甲。\n"},
        ["docs/laws/拼错.md:4: 文件头中有未知字段 `efective`。", "  → 是不是想写 `effective`？"],
        1,
    ),
    "impossible-dates": (
        {"laws/日期.md": "---\ntitle: 日期\nlevel: 法律\npromulgated: 2020-05-01\neffective: 2020-01-01\n---\n\n"
                         "第一条 甲。\n"},
        ["docs/laws/日期.md:5: 施行日期 2020-01-01 早于公布日期 2020-05-01。",
         "  → 请核对原文：施行日期不能早于公布日期。"],
        1,
    ),
    "invalid-date": (
        {"laws/日期.md": "---\ntitle: 日期\nlevel: 法律\npromulgated: 2020-02-30\n---\n\n第一条 甲。\n"},
        ["docs/laws/日期.md:4: 字段 `promulgated` 的值无效：“2020-02-30”不是有效日期。",
         "  → 日期请写成 2024-01-01 的形式。"],
        1,
    ),
    "duplicate-article": (
        {"laws/重复.md": "---\ntitle: 重复\nlevel: 法律\n---\n\n第一条 甲。\n\n第二条 乙。\n\n第二条 丙。\n"},
        ["docs/laws/重复.md:10: 条号重复：第二条已在第 8 行出现。",
         "  → 请检查是否把后一条的条号写错，同一部法规中每个条号只能出现一次。"],
        1,
    ),
    "gap-is-a-warning": (
        {"laws/跳号.md": "---\ntitle: 跳号\nlevel: 法律\n---\n\n第一条 甲。\n\n第四条 乙。\n"},
        ["docs/laws/跳号.md:8: （警告）条号不连续：第一条之后是第四条。",
         "  → 请检查是否漏写了第二条、第三条，或确认原文确实如此。"],
        0,
    ),
    "article-outside-chapter": (
        {"laws/章外.md": "---\ntitle: 章外\nlevel: 法律\n---\n\n第一条 甲。\n\n## 第二章 乙\n\n第二条 乙。\n"},
        ["docs/laws/章外.md:6: 第一条不在任何章节之内，而本法规其他条文分属各章。",
         "  → 请把这一条移到所属的“## 第X章”标题之下。"],
        1,
    ),
    "article-before-first-chapter-is-a-warning": (
        {"laws/章前.md": "---\ntitle: 章前\nlevel: 法律\n---\n\n第一条 甲。\n\n## 第一章 乙\n\n第二条 乙。\n"},
        ["docs/laws/章前.md:6: （警告）第一条不在任何章节之内，而本法规其他条文分属各章。",
         "  → 若原文确实如此（条文位于第一章之前），可以忽略；否则请把这一条移到所属的“## 第X章”标题之下。"],
        0,
    ),
    "duplicate-title": (
        {"laws/甲法.md": GOOD, "laws/甲法副本.md": GOOD},
        ["docs/laws/甲法副本.md:2: 标题“甲法”与 laws/甲法.md 重复。",
         "  → 同一法规的旧版本请用 `version_of:` 指向现行文本；不同法规请核对标题。"],
        1,
    ),
    "bad-version-of-at-its-line": (
        {"laws/旧法.md": "---\ntitle: 旧法\nlevel: 法律\npromulgated: 2001-01-01\n"
                         "version_of: 不存在的法\n---\n\n第一条 甲。\n"},
        ["docs/laws/旧法.md:5: `version_of: 不存在的法` 指向的现行文本不存在。",
         "  → 请填写现行文本在 docs/laws/ 下的文件名（不含 .md），例如 `version_of: 行政复议法`。"],
        1,
    ),
    "gbk-encoding": (
        {"laws/编码.md": "---\ntitle: 编码\nlevel: 法律\n---\n\n第一条 中文。\n".encode("gbk")},
        ["docs/laws/编码.md:2: 文件不是 UTF-8 编码（第 2 行起无法按 UTF-8 读取，看起来是 GBK/GB18030）。",
         "  → 请用 `kb import 文件` 重新导入（会自动转换编码），或在编辑器中“另存为 UTF-8”。"],
        1,
    ),
}


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A site folder with mkdocs.yml, made the working directory (as an author runs `kb check`)."""
    make_config(tmp_path, {"search_index": False})  # the checks, not the search index, are under test
    write_files(tmp_path / "docs", {"index.md": "# 首页\n"})
    monkeypatch.chdir(tmp_path)
    return tmp_path


@pytest.mark.parametrize("case", list(CASES))
def test_check_reports_problem(project: Path, case: str):
    files, expected, exit_code = CASES[case]
    write_files(project / "docs", files)
    result = CliRunner().invoke(main, ["check"])
    assert result.exit_code == exit_code, result.output
    assert result.stdout.splitlines() == expected
    errors = 1 if exit_code else 0
    assert result.stderr.strip() == f"共 {errors} 个错误，{1 - errors} 个警告。"


@pytest.mark.parametrize("case", [name for name, (_, _, code) in CASES.items() if code])
def test_strict_build_fails_on_the_same_errors(project: Path, case: str, caplog: pytest.LogCaptureFixture):
    files, expected, _ = CASES[case]
    write_files(project / "docs", files)
    with pytest.raises(Abort):
        run_build(project / "mkdocs.yml", strict=True)
    assert not (project / "site").exists()
    # The build log carries the same message, path relative to docs/.
    assert expected[0].removeprefix("docs/") in caplog.text


def test_warnings_do_not_fail_a_strict_build(project: Path):
    write_files(project / "docs", CASES["gap-is-a-warning"][0])
    site = run_build(project / "mkdocs.yml", strict=True)
    assert (site / "laws/跳号/index.html").is_file()


def test_gbk_page_outside_laws_is_reported_not_a_traceback(project: Path, caplog: pytest.LogCaptureFixture):
    write_files(project / "docs", {"notes/通知.md": "# 通知\n\n内容。\n".encode("gbk")})
    site = run_build(project / "mkdocs.yml")  # not strict: built, with a warning
    assert "通知" in (site / "notes/通知/index.html").read_text(encoding="utf-8")
    assert "notes/通知.md:1: 文件不是 UTF-8 编码" in caplog.text
    result = CliRunner().invoke(main, ["build", "--strict"])
    assert result.exit_code == 1
    assert result.output.strip().splitlines()[-1] == "Error: 构建失败，原有的 site/ 目录和检索索引保持不变。"


def test_clean_docs_exit_zero(project: Path):
    write_files(project / "docs", {"laws/甲法.md": GOOD})
    result = CliRunner().invoke(main, ["check"])
    assert result.exit_code == 0, result.output
    assert result.stdout == ""
    assert result.stderr.strip() == "共 0 个错误，0 个警告。"


def test_check_reports_every_problem_at_once_sorted_by_file(project: Path):
    for case, (files, _, _) in CASES.items():
        write_files(project / "docs", {path.replace("laws/", f"laws/{case}/"): text for path, text in files.items()})
    result = CliRunner().invoke(main, ["check"])
    assert result.exit_code == 1
    lines = [line for line in result.stdout.splitlines() if not line.startswith("  → ")]
    assert len(lines) == len(CASES)
    assert lines == sorted(lines, key=lambda line: (line.split(":")[0], int(line.split(":")[1])))


def test_check_json(project: Path):
    write_files(project / "docs", {**CASES["duplicate-article"][0], **CASES["gap-is-a-warning"][0]})
    result = CliRunner().invoke(main, ["check", "--json"])
    assert result.exit_code == 1
    assert json.loads(result.stdout) == [
        {"path": "laws/跳号.md", "line": 8, "message": "条号不连续：第一条之后是第四条。",
         "hint": "请检查是否漏写了第二条、第三条，或确认原文确实如此。", "severity": "warning", "code": "article-gap"},
        {"path": "laws/重复.md", "line": 10, "message": "条号重复：第二条已在第 8 行出现。",
         "hint": "请检查是否把后一条的条号写错，同一部法规中每个条号只能出现一次。", "severity": "error",
         "code": "duplicate-article"},
    ]


def test_check_with_missing_config_is_a_one_line_error(project: Path):
    result = CliRunner().invoke(main, ["check", "-f", "没有.yml"])
    assert result.exit_code == 1
    assert result.output.startswith("Error: 无法读取 没有.yml：")
    assert len(result.output.strip().splitlines()) == 1

"""`kb import` of OA notices: a .docx built here, GBK pasted text, a joint notice, and bad input."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from kb_tools.cli import main
from kb_tools.policies.importer import import_policy
from kb_tools.problems import KbError
from tests.conftest import BUILDING_LAW, read, write_files

NOTICE_LINES = [
    "海州市住房和城乡建设局文件",
    "海住建规〔2024〕7号",
    "海州市住房和城乡建设局关于印发",
    "建筑工程施工许可管理办法",
    "各区、县（市）住房和城乡建设局，局机关各处室：",
    "第一条 为规范建筑工程施工许可，根据《中华人民共和国建筑法》第八条，制定本办法。",
    "第二条 申请施工许可，应当提交下列材料：",
    "（一）施工许可申请表；",
    "（二）用地批准文件。",
    "第三条 本办法自2024年6月1日起施行，有效期五年。",
    "附件：1. 施工许可申请表",
    "2. 申请材料清单",
    "海州市住房和城乡建设局",
    "2024年5月10日",
    "（此件公开发布）",
]


def make_docx(path: Path, lines: list[str]) -> Path:
    import docx

    document = docx.Document()
    for line in lines:
        document.add_paragraph(line)
    document.save(str(path))
    return path


def front_matter(page: Path) -> dict:
    return yaml.safe_load(page.read_text(encoding="utf-8").split("---\n", 2)[1])


def test_a_docx_notice_imports_into_a_correct_page(tmp_path: Path, build_site):
    source = make_docx(tmp_path / "通知.docx", NOTICE_LINES)
    docs = tmp_path / "docs"
    result = runner_import(source, docs)
    page = docs / "policies" / "2024" / "海住建规-2024-7.md"
    assert result.exit_code == 0, result.output
    assert f"{page}: 《海州市住房和城乡建设局关于印发建筑工程施工许可管理办法》 5 个编号条目" in result.output
    assert "未能读出，请手工填写：统一编号 register_number" in result.output
    meta = front_matter(page)
    assert meta == {
        "title": "海州市住房和城乡建设局关于印发建筑工程施工许可管理办法",
        "doc_number": "海住建规〔2024〕7号",
        "recipients": "各区、县（市）住房和城乡建设局，局机关各处室",
        "authority": "海州市住房和城乡建设局",
        "kind": "行政规范性文件",
        "issued": __import__("datetime").date(2024, 5, 10),
        "effective": __import__("datetime").date(2024, 6, 1),
        "validity": "有效期五年",
        "attachments": ["施工许可申请表", "申请材料清单"],
    }
    text = page.read_text(encoding="utf-8")
    assert "海州市住房和城乡建设局\n" not in text.split("---\n", 2)[2]  # the signature is not body text
    assert "此件公开发布" not in text
    # The page builds: items with anchors, the basis linked, status computed from what was read.
    files = {"laws/建筑法.md": BUILDING_LAW,
             "policies/2024/海住建规-2024-7.md": text}
    site = build_site(files, search_index=False)
    html = read(site, "policies/2024/海住建规-2024-7/index.html")
    for anchor in ("article-1", "article-2", "article-2-item-1", "article-2-item-2", "article-3"):
        assert f'id="{anchor}"' in html
    assert '<a class="kb-cite" href="../../../laws/建筑法/#article-8"' in html
    assert "2029年5月31日（有效期五年）" in html


def runner_import(source: Path, docs: Path, *args: str):
    return CliRunner().invoke(main, ["import", str(source), "--docs-dir", str(docs), *args])


def test_gbk_pasted_text_of_a_joint_notice(tmp_path: Path):
    lines = ["海州市住房和城乡建设局", "海州市应急管理局", "海住建〔2024〕30号  海应急〔2024〕15号",
             "关于开展燃气安全联合检查的通知", "各燃气经营企业：", "一、检查范围", "全市燃气经营企业。",
             "二、检查时间", "本通知自印发之日起施行。", "海州市住房和城乡建设局", "海州市应急管理局",
             "二〇二四年六月二十日"]
    source = tmp_path / "joint.txt"
    source.write_bytes("\r\n".join(lines).encode("gbk"))
    result = import_policy(source, tmp_path / "docs")
    assert result.meta["doc_number"] == ["海住建〔2024〕30号", "海应急〔2024〕15号"]
    assert result.meta["authority"] == ["海州市住房和城乡建设局", "海州市应急管理局"]
    assert str(result.meta["issued"]) == "2024-06-20" and result.meta["effective"] == result.meta["issued"]
    body = result.path.read_text(encoding="utf-8").split("---\n", 2)[2]
    assert "## 一、检查范围" in body and "## 二、检查时间" in body
    assert result.items == 2 and result.meta["kind"] == "通知"


def test_what_cannot_be_read_is_listed(tmp_path: Path):
    source = tmp_path / "plain.txt"
    source.write_text("关于做好汛期安全工作的通知\n各单位：\n一、加强巡查\n请各单位认真落实。\n", encoding="utf-8")
    result = import_policy(source, tmp_path / "docs")
    assert any(m.startswith("文号") for m in result.missing)
    assert any(m.startswith("印发日期") for m in result.missing)
    assert any(m.startswith("施行日期") for m in result.missing)
    assert result.path == tmp_path / "docs" / "policies" / "undated" / "关于做好汛期安全工作的通知.md"


@pytest.mark.parametrize(("lines", "message"), [
    ([], "empty.txt:1: 文件是空的"),
    (["海州市住房和城乡建设局文件", "海住建〔2024〕1号", "各单位：", "一、内容"],
     "bad.txt:3: 没有找到文件标题：标题应在文号之后单独成行，以“通知”“办法”“方案”等结尾，这里是“各单位：”"),
    (["海住建〔2024〕1号", "关于某事的通知", "一、内容", "海州市住房和城乡建设局", "2024年2月30日"],
     "bad.txt:5: 落款日期“2024年2月30日”不是有效日期"),
])
def test_bad_input_is_one_chinese_line_with_file_and_line(tmp_path: Path, lines: list[str], message: str):
    name = "empty.txt" if not lines else "bad.txt"
    source = tmp_path / name
    source.write_text("\n".join(lines), encoding="utf-8")
    with pytest.raises(KbError) as caught:
        import_policy(source, tmp_path / "docs")
    assert str(caught.value).startswith(f"{source}".replace(name, "") + message)
    result = runner_import(source, tmp_path / "docs", "--policy")
    assert result.exit_code != 0 and "Traceback" not in result.output and message in result.output


def test_an_existing_page_is_not_overwritten(tmp_path: Path):
    source = make_docx(tmp_path / "a.docx", NOTICE_LINES)
    write_files(tmp_path / "docs", {"policies/2024/海住建规-2024-7.md": "---\ntitle: x\n---\n"})
    result = runner_import(source, tmp_path / "docs")
    assert result.exit_code != 0 and "页面已存在" in result.output and "--overwrite" in result.output

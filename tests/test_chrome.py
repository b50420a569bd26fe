"""The site's frame speaks Chinese and names the bureau: 404 page, footer, staff navigation."""

from __future__ import annotations

import yaml

from tests.conftest import BUILDING_LAW, REPO, read


def test_404_page_is_chinese_with_a_search_form(build_site):
    site = build_site({"laws/建筑法.md": BUILDING_LAW})
    html = read(site, "404.html")
    assert "页面不存在" in html and "404 - Not found" not in html
    assert 'name="q"' in html and '/search/"' in html


def test_footer_names_the_bureau_and_the_data_date_not_the_theme(build_site):
    site = build_site({"laws/建筑法.md": BUILDING_LAW}, bureau_name="嘉禾市住房和城乡建设局")
    html = read(site, "index.html")
    assert "嘉禾市住房和城乡建设局" in html
    assert "数据更新于 2026-11-26" in html  # the status date fixed by the test config
    assert "Made with" not in html and "Material for MkDocs" not in html


def test_footer_escapes_the_bureau_name(build_site):
    site = build_site({"laws/建筑法.md": BUILDING_LAW}, bureau_name="<b>局</b>")
    assert "<b>局</b>" not in read(site, "index.html")


def test_manual_pages_are_not_citing_pages(build_site):
    site = build_site({
        "laws/建筑法.md": BUILDING_LAW,
        "manual/authors.md": "# 添加法规\n\n例如《中华人民共和国建筑法》第七条。\n",
        "notes/通知.md": "# 通知\n\n依据《中华人民共和国建筑法》第七条办理。\n",
    })
    law = read(site, "laws/建筑法/index.html")
    cited = law[law.index('class="kb-cited-by"'):]
    cited = cited[:cited.index("</ul>")]
    assert "notes/通知/" in cited
    assert "manual/" not in cited
    assert 'href="../../laws/建筑法/#article-7"' in read(site, "manual/authors/index.html")  # still linked


def test_developer_reference_is_not_in_the_staff_navigation():
    config = yaml.load((REPO / "mkdocs.yml").read_text(encoding="utf-8"), Loader=yaml.Loader)
    text = yaml.safe_dump(config["nav"], allow_unicode=True)
    assert "manual/api.md" not in text and "代码参考" not in text
    assert "/manual/api.md" in config["not_in_nav"]


def test_tab_of_a_page_outside_the_navigation_is_highlighted(build_site):
    theme = {"name": "material", "language": "zh", "font": False, "features": ["navigation.tabs"]}
    site = build_site(
        {"laws/index.md": "# 法律法规\n", "laws/建筑法.md": BUILDING_LAW, "manual/index.md": "# 维护手册\n"},
        extra_config={"theme": theme, "nav": [{"首页": "index.md"}, {"法律法规": ["laws/index.md"]},
                                              {"维护手册": ["manual/index.md"]}],
                      "not_in_nav": "/laws/**\n"},
    )
    law = read(site, "laws/建筑法/index.html")
    tabs = law[law.index('class="md-tabs__list"'):]
    tabs = tabs[:tabs.index("</ul>")]
    active = [part for part in tabs.split("<li")[1:] if "md-tabs__item--active" in part]
    assert len(active) == 1 and "法律法规" in active[0]
    manual = read(site, "manual/index.html")  # in the navigation: Material's own highlighting, unchanged
    tabs = manual[manual.index('class="md-tabs__list"'):]
    active = [part for part in tabs[:tabs.index("</ul>")].split("<li")[1:] if "md-tabs__item--active" in part]
    assert len(active) == 1 and "维护手册" in active[0]

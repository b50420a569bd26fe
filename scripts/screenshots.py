"""Screenshots of the main pages at desktop and phone size, for the manual (docs/manual/screenshots.md).

Run from the repository: ``.venv/bin/python scripts/screenshots.py``. It builds ``docs/`` into a
temporary directory with a fixed status date (so the pictures do not change with the calendar),
serves it on 127.0.0.1, drives Debian's /usr/bin/chromium through Playwright (nothing is
downloaded), and writes one PNG per page and size to ``docs/manual/screenshots/`` plus the page
that shows them. Only the first screen is taken (1366×900 and 390×844), which keeps the files
small; run it again after a change to the look of the site and commit the pictures.
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

import yaml

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from tests.browser import CHROMIUM, CHROMIUM_ARGS, serve  # noqa: E402
from tests.conftest import run_build  # noqa: E402

OUT_DIR = REPO / "docs" / "manual" / "screenshots"
PAGE = REPO / "docs" / "manual" / "screenshots.md"
STATUS_DATE = "2026-11-26"
SIZES = {"desktop": (1366, 900), "phone": (390, 844)}


@dataclass(frozen=True)
class Shot:
    """One page to photograph: file name, caption, address below the site, and what to do first."""

    name: str
    caption: str
    path: str
    action: str = ""  # "search:<query>" types into the header search box; "open:<css>" opens those <details>


SHOTS = [
    Shot("home", "首页：本月学法、统计和最近修改的法规", ""),
    Shot("law", "法规页：时效性、基本信息和条文（手机上有“本页目录与条文跳转”）", f"laws/{quote('建筑法')}/"),
    Shot("article", "从链接直达一条条文：已废止的文本顶部保持“已废止”提示",
         f"laws/{quote('信访条例')}/#article-16"),
    Shot("search", "检索框：输入即显示结果，按法规分组", "", "search:施工许可"),
    Shot("powers", "权力事项一览：筛选与导出（下拉框互相收窄，只列还有事项的值）",
         "powers/list/?type=" + quote("行政许可")),
    Shot("power-item", "权力事项：每条依据一个框，框头链接到条文并标明时效性，展开是条文全文（所引的款突出显示）",
         "powers/items/XK-001/#implementing", "open:#implementing ~ .kb-pw-basis details"),
    Shot("study", "学法计划：本月学法排在最前", "study/"),
    Shot("lecture", "法治大讲堂的一次讲座", f"classroom/2026/{quote('信访工作实务')}/"),
    Shot("compare", "新旧对照：全宽两栏，可只看变化", f"laws/{quote('行政复议法')}/compare-2017-09-01/"),
]


def build(tmp: Path) -> Path:
    """Build docs/ into ``tmp`` with the fixed status date."""
    docs = tmp / "docs"
    shutil.copytree(REPO / "docs", docs)
    config = yaml.safe_load((REPO / "mkdocs.yml").read_text(encoding="utf-8"))
    config.update(docs_dir=str(docs), site_dir=str(tmp / "site"))
    plugins = []
    for plugin in config.get("plugins", []):
        if isinstance(plugin, dict) and "kb" in plugin:
            plugin = {"kb": {**(plugin["kb"] or {}), "status_date": STATUS_DATE, "atomic_output": False}}
        if isinstance(plugin, dict) and "mkdocstrings" in plugin:
            continue  # the developer reference is not photographed and is slow to build
        plugins.append(plugin)
    config["plugins"] = plugins
    path = tmp / "mkdocs.yml"
    path.write_text(yaml.safe_dump(config, allow_unicode=True), encoding="utf-8")
    return run_build(path)


def take(site: Path, shots: list[Shot]) -> list[Path]:
    """Photograph every page at every size; returns the files written."""
    from playwright.sync_api import sync_playwright

    written = []
    with serve(site) as url, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        for size, (width, height) in SIZES.items():
            phone = size == "phone"
            context = browser.new_context(viewport={"width": width, "height": height}, locale="zh-CN",
                                          is_mobile=phone, has_touch=phone, device_scale_factor=1)
            for shot in shots:
                page = context.new_page()
                page.goto(url + shot.path)
                page.wait_for_load_state("networkidle")
                if shot.action.startswith("search:"):
                    page.keyboard.press("/")  # the search box's keyboard shortcut, at every size
                    page.keyboard.type(shot.action[len("search:"):], delay=20)
                    page.wait_for_selector(".kb-search__hit", timeout=15000)
                elif shot.action.startswith("open:"):
                    page.evaluate("""(css) => {
                        document.querySelectorAll(css).forEach((d) => { d.open = true; });
                        const target = location.hash && document.getElementById(location.hash.slice(1));
                        if (target) { target.scrollIntoView(); }
                    }""", shot.action[len("open:"):])
                page.wait_for_timeout(300)
                target = OUT_DIR / f"{shot.name}-{size}.png"
                page.screenshot(path=str(target))
                written.append(target)
                page.close()
            context.close()
        browser.close()
    return written


def manual_page(shots: list[Shot]) -> str:
    """The manual page that shows the pictures, desktop beside phone."""
    lines = [
        "# 页面截图",
        "",
        "网站主要页面在电脑（1366×900）和手机（390×844）上的样子，用于培训和核对改版效果。",
        f"截图由 `scripts/screenshots.py` 生成（时效性按 {STATUS_DATE} 计算）；页面样式改变后请重新运行并提交图片。",
        "",
    ]
    for shot in shots:
        lines += [
            f"## {shot.caption}",
            "",
            f"![{shot.caption}（电脑）](screenshots/{shot.name}-desktop.png){{ width=\"640\" }}",
            f"![{shot.caption}（手机）](screenshots/{shot.name}-phone.png){{ width=\"200\" }}",
            "",
        ]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="为维护手册生成主要页面的截图")
    parser.add_argument("--only", nargs="*", help="只截这些页面（home、law、article …）")
    args = parser.parse_args(argv)
    shots = [s for s in SHOTS if not args.only or s.name in args.only]
    if not CHROMIUM.exists():
        print(f"没有找到 {CHROMIUM}：请先安装 Debian 的 chromium（apt-get install chromium）。", file=sys.stderr)
        return 1
    OUT_DIR.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="kb-screenshots-") as tmp:
        site = build(Path(tmp))
        written = take(site, shots)
    PAGE.write_text(manual_page(SHOTS), encoding="utf-8")
    total = sum(p.stat().st_size for p in OUT_DIR.glob("*.png"))
    print(f"写入 {len(written)} 张截图到 {OUT_DIR.relative_to(REPO)}，共 {total / 1024:.0f} KB；"
          f"页面 {PAGE.relative_to(REPO)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

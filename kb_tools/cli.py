"""`kb`: the command line of 法规知识库. Each command is wiring around one library function.

Every command exits 0 on success and non-zero with a one-line reason on failure; user errors
are ``click.ClickException`` messages, never tracebacks.
"""

from __future__ import annotations

import datetime as dt
import json
import sys
from pathlib import Path
from typing import Any

import click

from kb_tools.problems import KbError

CONTEXT = {"help_option_names": ["-h", "--help"], "max_content_width": 100}


def _fail(exc: Exception) -> click.ClickException:
    return click.ClickException(str(exc))


@click.group(context_settings=CONTEXT)
@click.version_option(package_name="kb_tools")
def main() -> None:
    """法规知识库命令行工具 / Command line of the law knowledge base.

    常用 / Common: kb build · kb serve · kb check · kb search "关键词" · kb import 文件
    """


def _load_mkdocs_config(config_file: str, **overrides: object) -> Any:
    from kb_tools.site.build import load_mkdocs_config

    try:
        return load_mkdocs_config(config_file, **overrides)
    except KbError as exc:
        raise _fail(exc) from exc


def build_site(config_file: str, **options: Any) -> Path:
    """`kb build`'s build (kb_tools.site.build.build_site), failures as one-line click errors."""
    from kb_tools.site import build

    try:
        return build.build_site(config_file, **options)
    except KbError as exc:
        raise _fail(exc) from exc


@main.command(context_settings=CONTEXT)
@click.option("-f", "--config-file", default="mkdocs.yml", show_default=True, help="mkdocs.yml 路径 / config file")
@click.option("--strict", is_flag=True, help="有内容错误时构建失败 / fail on content errors")
@click.option("--public", is_flag=True, help="公开版：排除 public: false 的页面 / public build")
@click.option("-d", "--site-dir", default=None, help="输出目录 / output directory")
@click.option("--status-date", default=None, help="按此日期计算时效性 (YYYY-MM-DD) / date for statuses")
def build(config_file: str, strict: bool, public: bool, site_dir: str | None, status_date: str | None) -> None:
    """构建站点与检索索引 / Build the site and its search indexes.

    失败时原有 site/ 保持不变 / A failed build leaves the previous site/ intact.
    """
    out = build_site(config_file, strict=strict, public=public, site_dir=site_dir, status_date=status_date)
    click.echo(f"站点已生成：{out}")


@main.command(context_settings=CONTEXT)
@click.option("-f", "--config-file", default="mkdocs.yml", show_default=True, help="mkdocs.yml 路径 / config file")
@click.option("--json", "as_json", is_flag=True, help="以 JSON 输出 / JSON output")
@click.option("--status-date", default=None, help="按此日期计算时效性 / date for statuses")
def check(config_file: str, as_json: bool, status_date: str | None) -> None:
    """检查全部内容，不构建站点 / Validate all content without building.

    每个问题一行：文件:行号: 问题，下一行是修改建议。有错误时退出码为 1。
    """
    from kb_tools.checks import check_docs

    cfg = _load_mkdocs_config(config_file)
    plugin = cfg.plugins.get("kb")
    date = status_date or (plugin.config.status_date if plugin else None)
    from kb_tools.site.config import site_options

    options = site_options(cfg, plugin.config if plugin else None)
    problems = check_docs(Path(cfg["docs_dir"]), date, options)
    errors = [p for p in problems if p.is_error]
    if as_json:
        click.echo(json.dumps([p.as_dict() for p in problems], ensure_ascii=False, indent=2))
    else:
        docs = Path(cfg["docs_dir"])
        root = docs.relative_to(Path.cwd()) if docs.is_relative_to(Path.cwd()) else docs
        for problem in problems:
            click.echo(_prefix(problem.format(), root))
        click.echo(f"共 {len(errors)} 个错误，{len(problems) - len(errors)} 个警告。", err=True)
    if errors:
        sys.exit(1)


def _prefix(text: str, root: Path) -> str:
    return f"{root.as_posix()}/{text}" if not text.startswith("/") else text


@main.command(name="import", context_settings=CONTEXT)
@click.argument("files", nargs=-1, type=click.Path(path_type=Path))
@click.option("--docs-dir", default="docs", show_default=True, type=click.Path(path_type=Path),
              help="文档目录 / docs directory")
@click.option("--level", default=None, help="效力级别（不填则自动判断）/ level")
@click.option("--slug", default=None, help="页面文件名（docs/laws/ 下，不含 .md）/ page name")
@click.option("--version-of", default=None, help="作为此法规的历史版本导入 / import as an older version of SLUG")
@click.option("--repealed", default=None, help="废止日期 / repeal date")
@click.option("--successor", default=None, help="取代本法规的法规标题 / title of the successor")
@click.option("--promulgated", default=None, help="原文无日期时的公布日期 / promulgation date")
@click.option("--manifest", default=None, type=click.Path(path_type=Path),
              help="按清单批量导入（TSV：file, level, …）/ batch import from a manifest")
@click.option("--overwrite", is_flag=True, help="覆盖已有页面 / replace existing pages")
@click.option("--policy", is_flag=True,
              help="作为本局文件导入到 docs/policies/（开头有文号时自动识别）/ import as a policy document")
@click.option("--kind", default=None, help="本局文件的类型（不填则按标题和文号判断）/ policy kind")
@click.option("--json", "as_json", is_flag=True, help="以 JSON 输出 / JSON output")
def import_(files: tuple[Path, ...], docs_dir: Path, level: str | None, slug: str | None,
            version_of: str | None, repealed: str | None, successor: str | None,
            promulgated: str | None, manifest: Path | None, overwrite: bool, policy: bool, kind: str | None,
            as_json: bool) -> None:
    """导入法规原文或本局文件为知识库页面 / Import regulation texts or policy documents as pages.

    支持 LawRefBook Markdown、从 Word 复制的纯文本（UTF-8/GBK、CRLF、目录、折行）和 .docx。
    OA 导出的通知（版头、文号、标题、主送、正文、附件、落款）导入到 docs/policies/。
    Accepts LawRefBook Markdown, plain text (UTF-8/GBK) and .docx; OA notices go to docs/policies/.
    """
    from kb_tools.importing.batch import import_files, import_manifest

    if files and not manifest and (policy or all(_looks_like_notice(f) for f in files)):
        _import_policies(files, docs_dir, slug=slug, kind=kind, overwrite=overwrite, as_json=as_json)
        return
    try:
        if manifest:
            results = import_manifest(manifest, docs_dir, overwrite=overwrite)
        elif files:
            results = import_files(list(files), docs_dir, level=level, slug=slug, version_of=version_of,
                                   repealed=repealed, successor=successor, promulgated=promulgated,
                                   overwrite=overwrite)
        else:
            raise click.UsageError("请给出要导入的文件，或用 --manifest 指定清单。")
    except KbError as exc:
        raise _fail(exc) from exc
    if as_json:
        click.echo(json.dumps([{"path": str(r.path), "title": r.title, "articles": r.articles,
                                "chapters": r.chapters, "notes": r.notes} for r in results],
                              ensure_ascii=False, indent=2))
        return
    for r in results:
        click.echo(f"{r.path}: 《{r.title}》 {r.chapters} 章 {r.articles} 条")
        for note in r.notes:
            click.echo(f"  · {note}")


def _looks_like_notice(path: Path) -> bool:
    """A file whose first lines carry a 文号 of the 〔年份〕 form alone on a line: an OA notice."""
    from kb_tools.policies.lookup import DOC_NUMBER_RE

    try:
        from kb_tools.importing.sources import read_lines

        lines = [line.strip() for line in read_lines(path)[0] if line.strip()][:6]
    except KbError:
        return False
    for line in lines:
        compact = line.replace(" ", "").replace("\u3000", "")
        found = "".join(m.group(0) for m in DOC_NUMBER_RE.finditer(compact))
        if found and len(found) >= len(compact) - 4:  # the 文号 line (one 文号 per issuer)
            return True
    return False


def _import_policies(files: tuple[Path, ...], docs_dir: Path, *, slug: str | None, kind: str | None,
                     overwrite: bool, as_json: bool) -> None:
    from kb_tools.policies.importer import import_policy

    results = []
    try:
        for file in files:
            results.append(import_policy(file, docs_dir, slug=slug if len(files) == 1 else None, kind=kind,
                                         overwrite=overwrite))
    except KbError as exc:
        raise _fail(exc) from exc
    if as_json:
        click.echo(json.dumps([{"path": str(r.path), "title": r.title, "items": r.items, "missing": r.missing}
                               for r in results], ensure_ascii=False, indent=2))
        return
    for r in results:
        click.echo(f"{r.path}: 《{r.title}》 {r.items} 个编号条目")
        for what in r.missing:
            click.echo(f"  · 未能读出，请手工填写：{what}")


@main.command(context_settings=CONTEXT)
@click.option("-f", "--config-file", default="mkdocs.yml", show_default=True, help="mkdocs.yml 路径 / config file")
@click.option("-a", "--host", default="127.0.0.1", show_default=True, help="监听地址 / address")
@click.option("-p", "--port", default=8000, show_default=True, type=int, help="端口 / port")
@click.option("--no-build", is_flag=True, help="直接使用已有的 site/ / serve the existing site/")
@click.option("--public", is_flag=True, help="公开版：站点与检索均不含 public: false 的内容 / public build")
def serve(config_file: str, host: str, port: int, no_build: bool, public: bool) -> None:
    """构建并在本机提供站点与检索接口 / Build, then serve the site and /api/search.

    默认只监听 127.0.0.1。/ Listens on 127.0.0.1 by default.
    """
    from kb_tools.search.server import make_server, serve_forever

    cfg = _load_mkdocs_config(config_file)
    site = Path(cfg["site_dir"])
    if not no_build:
        site = build_site(config_file, public=public)
    if not (site / "index.html").is_file():
        raise click.ClickException(f"{site} 中没有已构建的站点，请先运行 kb build。")
    plugin = cfg.plugins.get("kb")
    if plugin is not None and public:
        plugin.config.public_build = True  # the public index folder, never the intranet one
    index_dir = _index_dir(cfg, plugin)
    try:
        server = make_server(site, index_dir, host=host, port=port)
    except KbError as exc:  # the port is taken, the site is missing
        raise _fail(exc) from exc
    shown = "127.0.0.1" if host in ("", "0.0.0.0", "::") else host
    also = "（内网其他机器用本机地址访问）" if shown != host else ""
    click.echo(f"法规知识库：http://{shown}:{server.server_address[1]}/{also}  （Ctrl+C 停止）")
    serve_forever(server)


def _index_dir(cfg: object, plugin: object) -> Path:
    from kb_tools.search.paths import index_dir_for

    return index_dir_for(cfg, plugin)


def _search_context(config_file: str) -> dict[str, object]:
    """docs_dir, index_dir, status date and public flag of a site, for the search commands."""
    cfg = _load_mkdocs_config(config_file)
    plugin = cfg.plugins.get("kb")
    date = plugin.config.status_date if plugin is not None else None
    return {
        "docs_dir": Path(cfg["docs_dir"]),
        "index_dir": _index_dir(cfg, plugin),
        "site_dir": Path(cfg["site_dir"]),
        "today": _date_option(date) if date else None,
        "public_only": bool(plugin.config.public_build) if plugin is not None else False,
    }


@main.command(context_settings=CONTEXT)
@click.argument("query", required=False, default="")
@click.option("-f", "--config-file", default="mkdocs.yml", show_default=True, help="mkdocs.yml 路径 / config file")
@click.option("--status", type=click.Choice(["有效", "已修改", "已废止", "尚未生效"]), default=None,
              help="只看此时效性 / only this status")
@click.option("--level", default=None, help="只看此效力级别，如 法律 / only this level")
@click.option("-n", "--limit", default=10, show_default=True, type=click.IntRange(1, 100), help="结果数 / results")
@click.option("--json", "as_json", is_flag=True, help="以 JSON 输出 / JSON output")
def search(query: str, config_file: str, status: str | None, level: str | None, limit: int, as_json: bool) -> None:
    """全文检索法规条文 / Full-text search of the articles.

    例 / e.g.: kb search "施工许可证要什么条件"；kb search "《建筑法》第八条"；
    kb search '"建设工程规划许可证" -临时 level:法律'
    """
    from kb_tools.search.engine import ensure_index, format_hits, search_safely

    ctx = _search_context(config_file)
    ix, _stats = ensure_index(ctx["docs_dir"], ctx["index_dir"], today=ctx["today"],  # type: ignore[arg-type]  # the search context dict holds values of several types
                              public_only=ctx["public_only"])  # type: ignore[arg-type]  # the search context dict holds values of several types
    hits, message = search_safely(ix, query, limit=limit, status=status, level=level)
    if as_json:
        click.echo(json.dumps([h.as_dict() for h in hits], ensure_ascii=False, indent=2))
        return
    click.echo(format_hits(hits, color=sys.stdout.isatty()) if hits else message)


@main.command(name="eval", context_settings=CONTEXT)
@click.argument("queries", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("-f", "--config-file", default="mkdocs.yml", show_default=True, help="mkdocs.yml 路径 / config file")
@click.option("--engine", default="whoosh", show_default=True, help="whoosh 或 static / search engine")
@click.option("--json", "as_json", is_flag=True, help="以 JSON 输出 / JSON output")
@click.option("--ablate", "ablate", multiple=True, metavar="NAME",
              help="关闭一项检索机制再评测（可重复）：synonyms、definitions、anchors、chapters、diversity 等"
                   " / switch a mechanism off")
def eval_(queries: Path, config_file: str, engine: str, as_json: bool, ablate: tuple[str, ...]) -> None:
    """检索质量评测：Recall@1/5/10 与 MRR@10 / Search quality on a labelled query file.

    QUERIES 为 TSV（id, query, relevant=标题#第N条|…），未命中的查询逐条列出。
    --ablate 关闭的机制只对这一次评测有效（whoosh 索引会按关闭后的设置重建）。
    """
    from kb_tools.search import mechanisms
    from kb_tools.search.eval import EvalContext, evaluate, format_report, get_engine, read_queries

    try:
        mechanisms.ablate(name for value in ablate for name in value.split(","))
    except ValueError as exc:
        raise click.ClickException(str(exc)) from exc
    ctx_ablated = mechanisms.ablated()

    ctx = _search_context(config_file)
    if ctx_ablated:  # an index of its own, so the usual one is not rebuilt twice
        index_dir = Path(ctx["index_dir"])  # type: ignore[arg-type]  # the search context dict holds values of several types
        ctx["index_dir"] = index_dir.with_name(f"{index_dir.name}-off-{'-'.join(sorted(ctx_ablated))}")
    try:
        labelled = read_queries(queries)
        context = EvalContext(docs_dir=ctx["docs_dir"], index_dir=ctx["index_dir"],  # type: ignore[arg-type]  # the search context dict holds values of several types
                              site_dir=ctx["site_dir"], status_date=ctx["today"])  # type: ignore[arg-type]  # the search context dict holds values of several types
        report = evaluate(get_engine(engine, context), labelled, engine)
    except (KeyError, ValueError, RuntimeError, KbError) as exc:
        raise click.ClickException(str(exc).strip("'\"")) from exc
    click.echo(json.dumps(report.as_dict(), ensure_ascii=False, indent=2) if as_json else format_report(report))


@main.command(name="import-powers", context_settings=CONTEXT)
@click.argument("file", type=click.Path(path_type=Path))
@click.option("--docs-dir", default="docs", show_default=True, type=click.Path(path_type=Path),
              help="文档目录 / docs directory")
@click.option("-o", "--output", default=None, type=click.Path(path_type=Path),
              help="写入的 YAML 文件（默认 docs/powers/<文件名>.yaml）/ output file")
@click.option("--overwrite", is_flag=True, help="覆盖已有文件 / replace an existing file")
@click.option("--json", "as_json", is_flag=True, help="以 JSON 输出 / JSON output")
def import_powers(file: Path, docs_dir: Path, output: Path | None, overwrite: bool, as_json: bool) -> None:
    """导入权力清单或检查事项表（.xlsx / .csv）/ Import a power or inspection list.

    识别常见列名、合并单元格、空行和表头上方的标题行；无法读取的行连同行号列出。
    Reads spreadsheet exports; rows that cannot be read are listed with their row numbers.
    """
    from kb_tools.powers import import_powers as run_import

    try:
        result = run_import(file, docs_dir, output=output, overwrite=overwrite)
    except KbError as exc:
        raise _fail(exc) from exc
    if as_json:
        click.echo(json.dumps({
            "output": str(result.output) if result.output else None,
            "powers": result.count("powers"), "inspections": result.count("inspections"),
            "tables": [{"sheet": t.sheet, "kind": t.kind, "header_row": t.header_row, "rows": len(t.records),
                        "skipped": t.skipped, "notes": t.notes} for t in result.tables],
            "problems": [p.as_dict() for p in result.problems],
        }, ensure_ascii=False, indent=2))
    else:
        for table in result.tables:
            what = "权力事项" if table.kind == "powers" else "检查事项"
            sheet = f"工作表“{table.sheet}”" if table.sheet else file.name
            click.echo(f"{sheet}：表头在第 {table.header_row} 行，读取{what} {len(table.records)} 项，"
                       f"跳过 {table.skipped} 行。")
            for note in table.notes:
                click.echo(f"  · {note}")
        for problem in result.problems:
            click.echo(problem.format())
        if result.output:
            click.echo(f"已写入 {result.output}；请运行 kb check 检查依据能否解析。")
    if result.output is None:
        raise click.ClickException(f"{file.name} 中没有可以导入的行。")
    bad = sum(table.skipped for table in result.tables)
    if bad:  # the good rows are written; the exit code still says that some were not
        raise click.ClickException(f"{bad} 行无法导入（见上面的行号），其余各行已写入 {result.output}。")


@main.command(name="import-list", context_settings=CONTEXT)
@click.argument("name")
@click.argument("file", type=click.Path(path_type=Path))
@click.option("--docs-dir", default="docs", show_default=True, type=click.Path(path_type=Path),
              help="文档目录 / docs directory")
@click.option("--overwrite", is_flag=True, help="覆盖已有的 rows.yaml / replace an existing rows file")
@click.option("--json", "as_json", is_flag=True, help="以 JSON 输出 / JSON output")
def import_list(name: str, file: Path, docs_dir: Path, overwrite: bool, as_json: bool) -> None:
    """把表格（.xlsx / .csv）导入 docs/lists/NAME/ 声明的清单 / Import a spreadsheet into a declared list.

    按清单声明的列名找到表头；能读取的行写入 rows.yaml，不能读取的行连同行号列出，此时退出码非零。
    Good rows are written; bad rows are listed with their row numbers and the exit code is non-zero.
    """
    from kb_tools.lists import import_list as run_import

    try:
        result = run_import(name, file, docs_dir, overwrite=overwrite)
    except KbError as exc:
        raise _fail(exc) from exc
    if as_json:
        click.echo(json.dumps({
            "output": str(result.output) if result.output else None, "rows": len(result.entries),
            "sheets": [{"sheet": s, "header_row": h, "rows": n} for s, h, n in result.sheets],
            "problems": [p.as_dict() for p in result.problems],
        }, ensure_ascii=False, indent=2))
    else:
        for sheet, header, count in result.sheets:
            where = f"工作表“{sheet}”" if sheet else file.name
            click.echo(f"{where}：表头在第 {header} 行，读取 {count} 行。")
        for problem in result.problems:
            click.echo(problem.format())
        if result.output:
            click.echo(f"已写入 {result.output}（{len(result.entries)} 项）；请运行 kb check 检查依据能否解析。")
    if result.output is None:
        raise click.ClickException(f"{file.name} 中没有可以导入的行。")
    if result.problems:
        bad = len({(p.path, p.line) for p in result.problems})
        raise click.ClickException(f"{bad} 行有问题（见上），请在表格中改正后加 --overwrite 重新导入。")


@main.group(context_settings=CONTEXT)
def new() -> None:
    """新建内容页面的模板 / Scaffold new content pages."""


@new.command(name="law", context_settings=CONTEXT)
@click.argument("title")
@click.option("--docs-dir", default="docs", show_default=True, type=click.Path(path_type=Path),
              help="文档目录 / docs directory")
@click.option("--level", default="规范性文件", show_default=True, help="效力级别 / level")
def new_law(title: str, docs_dir: Path, level: str) -> None:
    """新建一部法规页面 / Scaffold a regulation page."""
    from kb_tools.laws.scaffold import new_law_page

    try:
        path = new_law_page(docs_dir, title, level, dt.date.today())
    except KbError as exc:
        raise _fail(exc) from exc
    click.echo(f"已创建 {path}，请补全文件头并粘贴条文。")


@new.command(name="lecture", context_settings=CONTEXT)
@click.argument("title")
@click.option("--docs-dir", default="docs", show_default=True, type=click.Path(path_type=Path),
              help="文档目录 / docs directory")
@click.option("--lecturer", default="（主讲人）", help="主讲人 / lecturer")
@click.option("--date", "date_", default=None, help="授课日期 YYYY-MM-DD（默认今天）/ lecture date")
@click.option("--hours", default=2.0, show_default=True, type=float, help="课时 / class hours")
@click.option("--topic", "topics", multiple=True, help="主题，可重复 / topic (repeatable)")
def new_lecture(title: str, docs_dir: Path, lecturer: str, date_: str | None, hours: float,
                topics: tuple[str, ...]) -> None:
    """新建一篇法治大讲堂讲稿 / Scaffold a law-classroom lecture page."""
    from kb_tools.classroom.scaffold import new_lecture_page

    try:
        path = new_lecture_page(docs_dir, title, date=_date_option(date_), lecturer=lecturer, hours=hours,
                                topics=list(topics) or None)
    except KbError as exc:
        raise _fail(exc) from exc
    click.echo(f"已创建 {path}，请补全文件头（主讲人、课时、主题）并撰写讲稿；"
               "写好后删除文件头中的 draft: true，讲稿才会发布并计入课时。")


def _date_option(value: str | None) -> dt.date:
    from kb_tools.frontmatter import as_date

    if value is None:
        return dt.date.today()
    date = as_date(value)
    if date is None:
        raise click.BadParameter(f"“{value}”不是有效日期（应为 YYYY-MM-DD）。", param_hint="--date")
    return date


@main.command(name="import-lecture", context_settings=CONTEXT)
@click.argument("file", type=click.Path(path_type=Path))
@click.option("--docs-dir", default="docs", show_default=True, type=click.Path(path_type=Path),
              help="文档目录 / docs directory")
@click.option("--title", default=None, help="讲稿标题（默认取文档标题）/ title")
@click.option("--lecturer", default=None, help="主讲人（默认取文档作者）/ lecturer")
@click.option("--date", "date_", default=None, help="授课日期（默认取文档创建日期）/ lecture date")
@click.option("--hours", default=2.0, show_default=True, type=float, help="课时 / class hours")
@click.option("--topic", "topics", multiple=True, help="主题，可重复（默认取文档关键词）/ topic")
@click.option("--overwrite", is_flag=True, help="覆盖已有讲稿 / replace an existing page")
def import_lecture_cmd(file: Path, docs_dir: Path, title: str | None, lecturer: str | None, date_: str | None,
                       hours: float, topics: tuple[str, ...], overwrite: bool) -> None:
    """把 Word 讲稿（.docx）转换为法治大讲堂页面 / Convert a Word lecture (.docx) into a page.

    保留标题、列表、表格、粗体和图片（图片保存在讲稿旁边）。
    Keeps headings, lists, tables, bold text and images (saved beside the page).
    """
    from kb_tools.classroom.docx_import import import_lecture

    try:
        result = import_lecture(file, docs_dir, title=title, lecturer=lecturer,
                                date=_date_option(date_) if date_ else None, hours=hours,
                                topics=list(topics) or None, overwrite=overwrite)
    except KbError as exc:
        raise _fail(exc) from exc
    click.echo(f"{result.path}: 《{result.title}》 标题 {result.headings} 个，列表项 {result.list_items} 个，"
               f"表格 {result.tables} 个，图片 {len(result.images)} 张")


if __name__ == "__main__":  # pragma: no cover
    main()

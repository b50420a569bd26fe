"""Import several files at once, or a batch listed in a manifest (the corpus TSV format).

A manifest row may say that a file is an older version of another (``relation:
earlier_version``) or was replaced by it (``superseded_by``); the current texts are imported
first so that versions and successors can point at them.
"""

from __future__ import annotations

import csv
from pathlib import Path

from kb_tools.frontmatter import as_date
from kb_tools.importing.law import ImportResult, import_lines, law_text_from_lines
from kb_tools.importing.sources import read_lines
from kb_tools.laws.names import slug_for_title
from kb_tools.model import Level
from kb_tools.problems import KbError


def _level(value: str | None) -> Level | None:
    if not value:
        return None
    try:
        return Level(value)
    except ValueError as exc:
        raise KbError(f"未知的效力级别“{value}”，可选：{'、'.join(v.value for v in Level)}。") from exc


def import_files(files: list[Path], docs_dir: Path, *, level: str | None = None, slug: str | None = None,
                 version_of: str | None = None, repealed: str | None = None, successor: str | None = None,
                 promulgated: str | None = None, overwrite: bool = False) -> list[ImportResult]:
    """Import each file with the same options."""
    if slug and len(files) > 1:
        raise KbError("--slug 只能用于导入单个文件。")
    extra: dict[str, object] = {}
    for key, value in (("repealed", repealed), ("promulgated", promulgated)):
        if value:
            date = as_date(value)
            if date is None:
                raise KbError(f"--{key} 不是有效日期：{value}（应为 YYYY-MM-DD）")
            extra[key] = date
    if successor:
        extra["successor"] = successor
    results = []
    for path in files:
        lines, _ = read_lines(path)
        results.append(import_lines(lines, docs_dir, level=_level(level), slug=slug, version_of=version_of,
                                    extra=extra, overwrite=overwrite))
    return results


def import_manifest(manifest: Path, docs_dir: Path, *, overwrite: bool = False) -> list[ImportResult]:
    """Import every row of a TSV manifest (columns ``file``, ``level``, optional
    ``publish_or_amend_date``, ``relation`` and ``current_file``), current texts first."""
    with manifest.open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.DictReader(handle, delimiter="\t"))
    if not rows or "file" not in rows[0]:
        raise KbError(f"{manifest}: 清单应为制表符分隔，且有 file 列。")
    base = manifest.parent
    rows.sort(key=lambda r: bool(r.get("relation")))
    results: list[ImportResult] = []
    for number, row in enumerate(rows, start=2):
        path = _find(base, row["file"])
        if path is None:
            raise KbError(f"{manifest}:{number}: 找不到文件 {row['file']}。")
        lines, _ = read_lines(path)
        extra: dict[str, object] = {}
        version_of = None
        relation = row.get("relation") or ""
        if relation:
            current_path = _find(base, row.get("current_file") or "")
            if current_path is None:
                raise KbError(f"{manifest}:{number}: 找不到现行文本 {row.get('current_file')}。")
            current = law_text_from_lines(read_lines(current_path)[0])
            if relation == "earlier_version":
                version_of = slug_for_title(current.title)
            elif relation == "superseded_by":
                from kb_tools.importing.law import front_matter_for

                meta, _ = front_matter_for(current)
                extra["successor"] = current.title
                extra["repealed"] = meta.get("effective") or meta.get("promulgated")
        text_date = as_date(row.get("publish_or_amend_date") or "")
        result = import_lines(lines, docs_dir, level=_level(row.get("level")), version_of=version_of,
                              extra=extra, overwrite=overwrite)
        if text_date and "promulgated" not in result.path.read_text(encoding="utf-8").split("---")[1]:
            _add_field(result.path, "promulgated", text_date.isoformat())
            result.notes.append(f"原文没有日期，已按清单填写公布日期 {text_date}。")
        results.append(result)
    return results


def _find(base: Path, name: str) -> Path | None:
    for candidate in (base / name, base / "laws" / name):
        if name and candidate.is_file():
            return candidate
    return None


def _add_field(path: Path, key: str, value: str) -> None:
    text = path.read_text(encoding="utf-8")
    head, sep, rest = text.partition("\n---\n")
    path.write_text(f"{head}\n{key}: {value}{sep}{rest}", encoding="utf-8")

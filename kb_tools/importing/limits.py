"""How big an imported file may be, and the checks every importer runs before it parses one.

Importers read files from outside (law texts, Word lectures, spreadsheet exports). A file that
is far too large, or a .docx/.xlsx (a zip archive) that inflates to hundreds of MiB, would hold
the machine the knowledge base is built on; it is refused with one line instead. The limit is
``KB_IMPORT_MAX_MB`` (MiB, default 50) in the environment, so an office with huge legitimate
files can raise it without a code change.
"""

from __future__ import annotations

import os
import zipfile
from pathlib import Path

from kb_tools.problems import KbError

DEFAULT_MAX_MB = 50
ENV_VAR = "KB_IMPORT_MAX_MB"


def max_import_bytes() -> int:
    """The limit in bytes, from ``KB_IMPORT_MAX_MB`` (a bad value falls back to the default)."""
    try:
        mb = float(os.environ.get(ENV_VAR, DEFAULT_MAX_MB))
    except ValueError:
        mb = DEFAULT_MAX_MB
    return int(max(mb, 0.001) * 1024 * 1024)


def _mb(size: int) -> str:
    return f"{size / 1024 / 1024:.1f} MiB"


def check_size(path: Path) -> None:
    """Refuse a file larger than the limit (before reading it)."""
    limit = max_import_bytes()
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise KbError(f"{path}: 无法读取文件（{exc.strerror}），请检查路径和权限。") from exc
    if size > limit:
        raise KbError(f"{path}: 文件有 {_mb(size)}，超过导入上限 {_mb(limit)}；"
                      f"请确认文件无误，确需导入时设置环境变量 {ENV_VAR}（单位 MiB）调高上限。")


def check_archive(path: Path, kind: str) -> None:
    """Refuse a .docx/.xlsx that is not a zip archive or that inflates past the limit.

    ``kind`` names the format for the message (``Word 文档（.docx）``).
    """
    check_size(path)
    limit = max_import_bytes()
    try:
        with zipfile.ZipFile(path) as archive:
            inflated = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise KbError(f"{path}: 不是可读取的 {kind}（文件已损坏，或只是改了扩展名）；"
                      "请用 Office/WPS 打开后重新另存为该格式再导入。") from exc
    if inflated > limit:
        raise KbError(f"{path}: 解压后有 {_mb(inflated)}，超过导入上限 {_mb(limit)}（可能是压缩炸弹或内嵌了超大文件）；"
                      f"请删去大图片或附件后另存再导入，确需导入时设置环境变量 {ENV_VAR} 调高上限。")


def unreadable(path: Path, kind: str, exc: BaseException) -> KbError:
    """One line for a file whose content cannot be parsed (broken XML and the like)."""
    reason = " ".join(str(exc).split())[:120] or type(exc).__name__
    return KbError(f"{path}: 无法读取 {kind} 的内容（{reason}）；"
                   "文件可能已损坏，请用 Office/WPS 打开后重新另存为该格式再导入。")

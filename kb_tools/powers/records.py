"""Rows of the power list, whatever file they came from, turned into checked items.

A row is a mapping from the Chinese column name (``事项名称`` …) to its text, with the line (YAML)
or row number (spreadsheet) it came from. The YAML loader and the spreadsheet importer both make
rows and both call :func:`power_item` / :func:`inspection_item`, so a row is judged the same way
in ``kb check`` and in ``kb import-powers``. Citations are resolved later (``load.py``).
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from kb_tools.lists.records import Record
from kb_tools.powers.model import (
    INSPECTION_FIELDS,
    POWER_FIELDS,
    FieldSpec,
    InspectionItem,
    PowerItem,
    PowerType,
    SubjectNature,
    parse_type,
)
from kb_tools.problems import ContentProblem, Severity
from kb_tools.schema import unknown_key_hint

_TRUE = {"true", "yes", "是", "公开", "1", "y"}
_FALSE = {"false", "no", "否", "不公开", "依申请公开", "0", "n"}
TYPE_HINT = "事项类型可选：" + "、".join(t.value for t in PowerType) + "。"
NATURE_HINT = "实施主体性质可选：" + "、".join(n.value for n in SubjectNature) + "。"


def check_keys(record: Record, fields: tuple[FieldSpec, ...], problems: list[ContentProblem]) -> None:
    """Report keys that are not columns of the list (a misspelt key would be silently ignored)."""
    known = [f.key for f in fields]
    for key in record.values:
        if key in known:
            continue
        problems.append(record.problem(key, f"未知字段“{key}”。", unknown_key_hint(key, known), "power-unknown-key"))


def _required(record: Record, fields: tuple[FieldSpec, ...], problems: list[ContentProblem]) -> bool:
    ok = True
    for spec in fields:
        if spec.required and not record.text(spec.key):
            problems.append(record.problem(
                spec.key, f"缺少“{spec.key}”。", f"请填写“{spec.key}”；导入表格时请确认该列有表头且本行该格不为空。",
                "power-missing-field",
            ))
            ok = False
        elif spec.recommended and not record.text(spec.key):
            problems.append(replace(record.problem(
                spec.key, f"未填写“{spec.key}”。", f"请补上“{spec.key}”，事项表才能按{spec.key}筛选。",
                "power-missing-department",
            ), severity=Severity.WARNING))
    return ok


def _provenance(record: Record, problems: list[ContentProblem], sample: bool) -> dict[str, Any]:
    """The :class:`~kb_tools.powers.model.Provenance` fields of an entry read from ``record``."""
    return {"public": _public(record, problems), "source": record.path, "line": record.line,
            "sample": sample, "key_lines": dict(record.key_lines)}


def _public(record: Record, problems: list[ContentProblem]) -> bool:
    text = record.text("公开").lower()
    if not text or text in _TRUE:
        return True
    if text in _FALSE:
        return False
    problems.append(record.problem("公开", f"“公开”的值“{text}”无法识别。", "请写“是”或“否”。", "power-bad-value"))
    return True


def power_item(record: Record, problems: list[ContentProblem], *, sample: bool = False) -> PowerItem | None:
    """A PowerItem from a row, or None when the row cannot be read (problems say why).

    The legal bases are kept as text here (``LegalBasis.refs`` empty); ``load.resolve`` fills them.
    """
    from kb_tools.powers.model import BASIS_ESTABLISHING, BASIS_IMPLEMENTING, LegalBasis

    ok = _required(record, POWER_FIELDS, problems)
    type_text = record.text("事项类型")
    power_type = parse_type(type_text) if type_text else None
    if type_text and power_type is None:
        problems.append(record.problem("事项类型", f"未知的事项类型“{type_text}”。", TYPE_HINT, "power-unknown-type"))
        ok = False
    nature_text = record.text("实施主体性质")
    nature = SubjectNature.STATUTORY
    if nature_text:
        try:
            nature = SubjectNature("".join(nature_text.split()))
        except ValueError:
            problems.append(record.problem("实施主体性质", f"未知的实施主体性质“{nature_text}”。", NATURE_HINT,
                                           "power-bad-value"))
            ok = False
    if not ok or power_type is None:
        return None
    return PowerItem(
        code=record.text("事项编码"),
        name=record.text("事项名称"),
        type=power_type,
        department=record.text("承办科室"),
        subject=record.text("实施主体"),
        subject_nature=nature,
        sub_item=record.text("子项"),
        establishing=tuple(LegalBasis(BASIS_ESTABLISHING, t, line=n) for t, n in record.numbered_lines("设定依据")),
        implementing=tuple(LegalBasis(BASIS_IMPLEMENTING, t, line=n) for t, n in record.numbered_lines("实施依据")),
        legal_limit=record.text("法定期限"),
        promised_limit=record.text("承诺期限"),
        fees=record.text("收费标准及依据"),
        process=record.text("办理流程"),
        materials=record.text("申请材料"),
        remarks=record.text("备注"),
        **_provenance(record, problems, sample),
    )


def inspection_item(record: Record, problems: list[ContentProblem], *, sample: bool = False,
                    default_code: str = "") -> InspectionItem | None:
    """An InspectionItem from a row, or None when the row cannot be read."""
    from kb_tools.powers.model import BASIS_INSPECTION, LegalBasis

    if not _required(record, INSPECTION_FIELDS, problems):
        return None
    return InspectionItem(
        code=record.text("检查事项编码") or default_code,
        name=record.text("检查事项名称"),
        target=record.text("检查对象"),
        method=record.text("检查方式"),
        department=record.text("承办科室"),
        basis=tuple(LegalBasis(BASIS_INSPECTION, t, line=n) for t, n in record.numbered_lines("检查依据")),
        frequency=record.text("频次"),
        power_code=record.text("关联事项编码"),
        remarks=record.text("备注"),
        **_provenance(record, problems, sample),
    )

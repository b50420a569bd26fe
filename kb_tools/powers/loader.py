"""Load ``docs/powers/`` into ``corpus.powers`` and check it.

A data file is YAML (what legal officers edit; ``kb import-powers`` writes it) or CSV (an
export dropped in as is). Every problem — duplicate codes, an unknown type, a basis that does not
resolve, an item without basis, a basis that is repealed or not yet in force — goes into
``corpus.problems`` with the file and line, so ``kb check`` lists it and ``mkdocs build --strict``
fails on it. Each resolved article learns which items rest on it (``add_citing``).
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import yaml

from kb_tools.frontmatter import read_text
from kb_tools.lists.bases import has_resolved, register_citing, resolve_basis
from kb_tools.lists.records import YAML_LOADER, records_from_yaml, yaml_problem
from kb_tools.model import Level
from kb_tools.powers.model import (
    INSPECTION_FIELDS,
    INSPECTIONS_KEY,
    POWER_FIELDS,
    POWERS_KEY,
    SAMPLE_KEY,
    InspectionItem,
    PowerItem,
    PowerList,
    PowerType,
)
from kb_tools.powers.records import check_keys, inspection_item, power_item
from kb_tools.problems import ContentProblem, KbError, Severity

if TYPE_CHECKING:
    from kb_tools.corpus import Corpus
    from kb_tools.lists.records import Record

POWERS_DIR = "powers"
DATA_SUFFIXES = (".yaml", ".yml", ".csv")
#: The kind under which items appear in the cited-by lists of regulation pages.
CITING_KIND = "权力事项"


def load(corpus: Corpus) -> None:
    """The corpus loader: read every data file under ``docs/powers/``."""
    folder = corpus.docs_dir / POWERS_DIR
    plist = PowerList()
    corpus.powers = plist
    if not folder.is_dir():
        return
    for path in sorted(p for p in folder.iterdir() if p.suffix.lower() in DATA_SUFFIXES and p.is_file()):
        rel = path.relative_to(corpus.docs_dir).as_posix()
        read_data_file(path, rel, plist, corpus.problems)
    _check_codes(plist, corpus.problems)
    resolve(plist, corpus)
    if corpus.public_only:
        plist.items = [i for i in plist.items if i.public]
        plist.inspections = [i for i in plist.inspections if i.public]


def read_data_file(path: Path, rel: str, plist: PowerList, problems: list[ContentProblem]) -> None:
    """Add the items of one data file to ``plist``."""
    if path.suffix.lower() == ".csv":
        from kb_tools.powers.spreadsheet import read_table_file

        try:
            tables = read_table_file(path, display=rel)
        except KbError as exc:
            problems.append(ContentProblem(rel, 0, str(exc), "请用 kb import-powers 转换为 YAML。", code="power-csv"))
            return
        if not tables:
            problems.append(ContentProblem(
                rel, 1, "CSV 文件中没有找到含“事项名称”等列名的表头。",
                "表头应有事项编码、事项名称、事项类型、承办科室等列（检查事项：检查事项名称、检查对象、检查方式）。",
                code="power-csv",
            ))
        for table in tables:
            problems.extend(table.problems)
            _add_records(table.kind, table.records, rel, plist, problems, sample=False)
        return
    text, problem = read_text(path, rel)
    if text is None:
        problems.append(problem)  # type: ignore[arg-type]  # problem is set whenever the text is None
        return
    try:
        root = yaml.compose(text, Loader=YAML_LOADER)
    except yaml.YAMLError as exc:
        problems.append(yaml_problem(rel, exc, "power-yaml"))
        return
    if root is None:
        return
    if not isinstance(root, yaml.MappingNode):
        problems.append(ContentProblem(
            rel, root.start_mark.line + 1, "清单文件的顶层应为“权力事项:”和“检查事项:”两个列表。",
            "参照 docs/powers/ 下的示例文件书写。", code="power-yaml",
        ))
        return
    sample = False
    for key_node, value_node in root.value:
        key = str(key_node.value)
        line = key_node.start_mark.line + 1
        if key == SAMPLE_KEY:
            sample = str(value_node.value).strip().lower() in ("true", "yes", "是")
        elif key in (POWERS_KEY, INSPECTIONS_KEY):
            records = records_from_yaml(value_node, rel, problems, "power-yaml")
            kind = "powers" if key == POWERS_KEY else "inspections"
            _add_records(kind, records, rel, plist, problems, sample=sample)
        else:
            problems.append(ContentProblem(
                rel, line, f"清单文件中有未知的顶层字段“{key}”。",
                f"顶层只能有“{POWERS_KEY}”“{INSPECTIONS_KEY}”和“{SAMPLE_KEY}”。", code="power-unknown-key",
            ))
    if sample:
        plist.sample_sources.append(rel)


def _add_records(kind: str, records: list[Record], rel: str, plist: PowerList,
                 problems: list[ContentProblem], *, sample: bool) -> None:
    if rel not in plist.sources:
        plist.sources.append(rel)
    for record in records:
        if kind == "powers":
            check_keys(record, POWER_FIELDS, problems)
            item = power_item(record, problems, sample=sample)
            if item is not None:
                plist.items.append(item)
        else:
            check_keys(record, INSPECTION_FIELDS, problems)
            default = f"JC-{len(plist.inspections) + 1:03d}"
            inspection = inspection_item(record, problems, sample=sample, default_code=default)
            if inspection is not None:
                plist.inspections.append(inspection)


def _check_codes(plist: PowerList, problems: list[ContentProblem]) -> None:
    for items, what in ((plist.items, "事项编码"), (plist.inspections, "检查事项编码")):
        seen: dict[str, PowerItem | InspectionItem] = {}
        for item in items:
            first = seen.setdefault(item.code, item)
            if first is not item:
                problems.append(ContentProblem(
                    item.source, item.line,
                    f"{what}“{item.code}”重复：{first.source}:{first.line} 的“{first.title}”已使用。",
                    "每个事项的编码必须唯一（页面地址由编码生成）；子项请使用各自的实施编码。",
                    code="power-duplicate-code",
                ))
        pages: dict[str, PowerItem | InspectionItem] = {}
        for item in items:
            other = pages.setdefault(item.src_uri, item)
            if other is not item and other.code != item.code:
                problems.append(ContentProblem(
                    item.source, item.line,
                    f"{what}“{item.code}”与“{other.code}”生成相同的页面地址 {item.src_uri[:-3]}/。",
                    "页面地址只保留编码中的字母、数字和 - _ .；请调整其中一个编码。",
                    code="power-duplicate-code",
                ))
    codes = {i.code for i in plist.items}
    for inspection in plist.inspections:
        if inspection.power_code and inspection.power_code not in codes:
            problems.append(ContentProblem(
                inspection.source, inspection.line,
                f"关联事项编码“{inspection.power_code}”在权力清单中不存在。",
                "请填写权力清单中已有的事项编码，或删除该字段。", code="power-unknown-link",
            ))


def resolve(plist: PowerList, corpus: Corpus) -> None:
    """Resolve every basis through the citation resolver, report problems, record cited-by."""
    from kb_tools.citations.resolver import CitingRef

    entries: list[PowerItem | InspectionItem] = [*plist.items, *plist.inspections]
    for item in entries:
        # A public build must not list private items on regulation (or policy) pages.
        citing = None if corpus.public_only and not item.public else CitingRef(
            CITING_KIND, _citing_title(item), item.src_uri)
        bases = [resolve_basis(basis, corpus, title=item.title, source=item.source, line=item.line_of(basis.label),
                               prefix="power", citing=citing) for basis in item.bases]
        if isinstance(item, PowerItem):
            n = len(item.establishing)
            item.establishing, item.implementing = tuple(bases[:n]), tuple(bases[n:])
        else:
            item.basis = tuple(bases)
        if not has_resolved(bases):
            what = "设定依据和实施依据" if isinstance(item, PowerItem) else "检查依据"
            corpus.problems.append(ContentProblem(
                item.source, item.line, f"“{item.title}”没有可用的{what}。",
                "请写明依据的法规和条款，例如《中华人民共和国建筑法》第七条。", code="power-no-basis",
            ))
        elif isinstance(item, PowerItem):
            corpus.problems.extend(_check_power(item, corpus))
        if citing is not None:
            register_citing(corpus, bases, citing, _anchor_words(item))


def _anchor_words(item: PowerItem | InspectionItem) -> str:
    """What a power or inspection item calls the matter it cites an article for (事项名称 …)."""
    if isinstance(item, PowerItem):
        return " ".join(x for x in (item.name, item.sub_item) if x)
    return " ".join(x for x in (item.name, item.target) if x)


#: Who may establish a power of this type (行政许可法第十四条至第十七条, 行政强制法第十条、第十三条).
_ESTABLISHING_LEVELS: dict[PowerType, tuple[Level, ...]] = {
    PowerType.LICENSE: (Level.LAW, Level.ADMINISTRATIVE_REGULATION, Level.LOCAL_REGULATION,
                        Level.LOCAL_GOVERNMENT_RULE),
    PowerType.COMPULSION: (Level.LAW, Level.ADMINISTRATIVE_REGULATION, Level.LOCAL_REGULATION),
}
_LEVEL_HINTS = {
    PowerType.LICENSE: "行政许可只能由法律、行政法规、地方性法规设定，省级政府规章可设定临时性许可"
                       "（《中华人民共和国行政许可法》第十四条至第十七条）；请核对设定依据。",
    PowerType.COMPULSION: "行政强制措施只能由法律、行政法规、地方性法规设定，行政强制执行只能由法律设定"
                          "（《中华人民共和国行政强制法》第十条、第十三条）；请核对设定依据。",
}


def _check_power(item: PowerItem, corpus: Corpus) -> list[ContentProblem]:
    """What an official list must get right beyond resolving: a 设定依据, its rank, a time limit."""
    problems = []
    if not item.establishing:
        problems.append(ContentProblem(
            item.source, item.line, f"“{item.title}”只有实施依据，没有设定依据。",
            "权力清单的每个事项都应写明设定该权力的法律、法规条款（设定依据）。", severity=Severity.WARNING,
            code="power-no-establishing",
        ))
    allowed = _ESTABLISHING_LEVELS.get(item.type)
    if allowed:
        for basis in item.establishing:
            for ref in basis.refs:
                law = corpus.laws.get(ref.law_slug) if ref.law_slug else None
                if law is not None and law.level not in allowed:
                    problems.append(ContentProblem(
                        item.source, basis.line or item.line,
                        f"“{item.title}”是{item.type.value}，但设定依据《{law.title}》是{law.level.value}。",
                        _LEVEL_HINTS[item.type], severity=Severity.WARNING, code="power-basis-level",
                    ))
    if item.type is PowerType.LICENSE and not item.legal_limit:
        problems.append(ContentProblem(
            item.source, item.line, f"行政许可事项“{item.title}”没有填写法定期限。",
            "行政许可应当在法定期限内作出决定（《中华人民共和国行政许可法》第四十二条：一般为二十日）；"
            "请填写“法定期限”。", severity=Severity.WARNING, code="power-no-time-limit",
        ))
    return problems


def _citing_title(item: PowerItem | InspectionItem) -> str:
    if isinstance(item, PowerItem):
        inner = f"{item.sub_item}，{item.type.value}" if item.sub_item else item.type.value
        return f"{item.name}（{inner}）"
    return f"{item.title}（检查事项）"

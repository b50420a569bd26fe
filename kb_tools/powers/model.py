"""The power list (权力清单) and inspection list (检查事项) as loaded from ``docs/powers/``.

Field names are English, values stay Chinese. The Chinese column names used in the data files and
in spreadsheets are defined here once (``POWER_FIELDS`` / ``INSPECTION_FIELDS``), so the YAML
loader, the spreadsheet importer and the exports all agree on them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum

from kb_tools.lists.model import BASIS_LABELS as BASIS_LABELS
from kb_tools.lists.model import BasisRef as BasisRef
from kb_tools.lists.model import LegalBasis as LegalBasis
from kb_tools.lists.model import Provenance
from kb_tools.lists.model import page_name as page_name


class PowerType(str, Enum):
    """事项类型, in the order the bureau's published list uses."""

    LICENSE = "行政许可"
    PENALTY = "行政处罚"
    COMPULSION = "行政强制"
    LEVY = "行政征收"
    PAYMENT = "行政给付"
    INSPECTION = "行政检查"
    CONFIRMATION = "行政确认"
    REWARD = "行政奖励"
    ADJUDICATION = "行政裁决"
    FILING = "行政备案"
    OTHER = "其他行政权力"
    PUBLIC_SERVICE = "公共服务"

    @property
    def rank(self) -> int:
        return list(PowerType).index(self)


#: Spellings found in exported lists, mapped to the type they mean.
TYPE_ALIASES: dict[str, PowerType] = {
    "许可": PowerType.LICENSE,
    "处罚": PowerType.PENALTY,
    "强制": PowerType.COMPULSION,
    "行政强制措施": PowerType.COMPULSION,
    "行政强制执行": PowerType.COMPULSION,
    "征收": PowerType.LEVY,
    "给付": PowerType.PAYMENT,
    "检查": PowerType.INSPECTION,
    "确认": PowerType.CONFIRMATION,
    "奖励": PowerType.REWARD,
    "裁决": PowerType.ADJUDICATION,
    "备案": PowerType.FILING,
    "其他": PowerType.OTHER,
    "其他权力": PowerType.OTHER,
    "其他职权": PowerType.OTHER,
    "其他行政职权": PowerType.OTHER,
    "公共服务事项": PowerType.PUBLIC_SERVICE,
}


def parse_type(text: str) -> PowerType | None:
    """The 事项类型 a cell means, or None.

    >>> parse_type("行政许可").value
    '行政许可'
    >>> parse_type(" 其他权力 ").value
    '其他行政权力'
    >>> parse_type("行政审批") is None
    True
    """
    key = "".join(text.split())
    try:
        return PowerType(key)
    except ValueError:
        return TYPE_ALIASES.get(key)


class SubjectNature(str, Enum):
    """实施主体性质: who exercises the power and on what footing."""

    STATUTORY = "法定行政机关"
    AUTHORISED = "授权组织"
    ENTRUSTED = "受委托组织"


BASIS_ESTABLISHING = "establishing"
BASIS_IMPLEMENTING = "implementing"
BASIS_INSPECTION = "inspection"


@dataclass
class PowerItem(Provenance):
    """A power the bureau exercises (one row of the 权力清单).

    Attributes:
        code: 事项编码, unique in the list; also the page name.
        source: the data file (relative to ``docs/``) and ``line`` the item starts on.
        sample: True when the file is marked 示例数据.
    """

    code: str
    name: str
    type: PowerType
    department: str
    subject: str = ""
    subject_nature: SubjectNature = SubjectNature.STATUTORY
    sub_item: str = ""
    establishing: tuple[LegalBasis, ...] = ()
    implementing: tuple[LegalBasis, ...] = ()
    legal_limit: str = ""
    promised_limit: str = ""
    fees: str = ""
    process: str = ""
    materials: str = ""
    remarks: str = ""

    @property
    def title(self) -> str:
        """The name as listed: 主项 plus 子项 when there is one."""
        return f"{self.name}（{self.sub_item}）" if self.sub_item else self.name

    @property
    def bases(self) -> tuple[LegalBasis, ...]:
        return self.establishing + self.implementing

    @property
    def src_uri(self) -> str:
        return f"powers/items/{page_name(self.code)}.md"


@dataclass
class InspectionItem(Provenance):
    """A 监管事项 / 高频检查事项 used for 双随机 and special inspections.

    Attributes:
        code: 检查事项编码 (numbered ``JC-001``… in file order when the file has none).
        power_code: 关联事项编码, the power item the inspection belongs to, if given.
    """

    code: str
    name: str
    target: str
    method: str
    department: str
    basis: tuple[LegalBasis, ...] = ()
    frequency: str = ""
    power_code: str = ""
    remarks: str = ""

    @property
    def title(self) -> str:
        return self.name

    @property
    def bases(self) -> tuple[LegalBasis, ...]:
        return self.basis

    @property
    def src_uri(self) -> str:
        return f"powers/inspection-items/{page_name(self.code)}.md"


@dataclass
class PowerList:
    """Everything loaded from ``docs/powers/``: ``corpus.powers``."""

    items: list[PowerItem] = field(default_factory=list)
    inspections: list[InspectionItem] = field(default_factory=list)
    sources: list[str] = field(default_factory=list)
    sample_sources: list[str] = field(default_factory=list)

    @property
    def has_sample(self) -> bool:
        return bool(self.sample_sources)

    def item(self, code: str) -> PowerItem | None:
        return next((i for i in self.items if i.code == code), None)


@dataclass(frozen=True)
class FieldSpec:
    """One column of the list.

    Attributes:
        key: the Chinese name used as the YAML key and export column header.
        attr: the attribute of the item it fills.
        aliases: other column headers seen in exported spreadsheets.
        required: whether a row without it cannot be read.
        multi: whether the value is a list of lines (the legal bases).
        recommended: a row without it is read, with a warning (承办科室: provincial exports often
            carry only 实施主体, and the department is filled in later).
    """

    key: str
    attr: str
    aliases: tuple[str, ...] = ()
    required: bool = False
    multi: bool = False
    recommended: bool = False


POWER_FIELDS: tuple[FieldSpec, ...] = (
    FieldSpec("事项编码", "code", ("编码", "权力编码", "事项代码", "权力事项编码", "基本编码", "实施编码", "权力代码"),
              required=True),
    FieldSpec("事项名称", "name", ("权力名称", "名称", "权力事项名称", "主项名称", "事项名称主项", "权力事项"),
              required=True),
    FieldSpec("子项", "sub_item", ("子项名称", "权力子项", "子项事项名称", "事项名称子项")),
    FieldSpec("事项类型", "type", ("权力类型", "类型", "权力类别", "事项类别", "职权类型", "权力事项类型"),
              required=True),
    FieldSpec("实施主体", "subject", ("实施机关", "行使主体", "实施部门", "实施单位", "行使部门")),
    FieldSpec("实施主体性质", "subject_nature", ("主体性质", "实施主体类型", "行使主体性质")),
    FieldSpec("承办科室", "department", ("承办机构", "内设机构", "责任科室", "承办处室", "承办单位", "责任处室",
                                     "承办部门", "科室"), recommended=True),
    FieldSpec("设定依据", "establishing", ("法律依据", "依据", "设立依据", "法定依据"), multi=True),
    FieldSpec("实施依据", "implementing", ("执行依据", "具体实施依据"), multi=True),
    FieldSpec("法定期限", "legal_limit", ("法定办结时限", "法定时限", "法定办理时限", "法定期限工作日")),
    FieldSpec("承诺期限", "promised_limit", ("承诺办结时限", "承诺时限", "承诺办理时限", "承诺期限工作日")),
    FieldSpec("收费标准及依据", "fees", ("收费标准", "收费依据", "是否收费", "收费情况", "收费标准和依据")),
    FieldSpec("办理流程", "process", ("流程", "办理程序", "运行流程", "办事流程", "权力运行流程")),
    FieldSpec("申请材料", "materials", ("材料", "申报材料", "申请材料目录", "办理材料")),
    FieldSpec("备注", "remarks", ("说明",)),
    FieldSpec("公开", "public", ("是否公开", "公开属性")),
)

INSPECTION_FIELDS: tuple[FieldSpec, ...] = (
    FieldSpec("检查事项编码", "code", ("监管事项编码", "事项编码", "编码", "检查编码")),
    FieldSpec("检查事项名称", "name", ("检查事项", "监管事项名称", "监管事项", "抽查事项", "抽查事项名称",
                                  "检查项目", "事项名称", "名称"), required=True),
    FieldSpec("检查对象", "target", ("监管对象", "抽查对象", "检查对象范围"), required=True),
    FieldSpec("检查依据", "basis", ("监管依据", "抽查依据", "法律依据", "设定依据", "依据"), multi=True),
    FieldSpec("检查方式", "method", ("监管方式", "抽查方式", "检查类型", "抽查类型"), required=True),
    FieldSpec("频次", "frequency", ("检查频次", "抽查频次", "抽查比例和频次", "抽查比例及频次", "比例和频次",
                                 "抽查比例")),
    FieldSpec("承办科室", "department", ("承办机构", "检查主体", "责任科室", "承办处室", "实施机构", "内设机构",
                                     "科室"), recommended=True),
    FieldSpec("关联事项编码", "power_code", ("关联权力事项编码", "对应权力事项编码", "主项编码")),
    FieldSpec("备注", "remarks", ("说明",)),
    FieldSpec("公开", "public", ("是否公开", "公开属性")),
)

#: Keys of the YAML data file that hold the two lists.
POWERS_KEY = "权力事项"
INSPECTIONS_KEY = "检查事项"
SAMPLE_KEY = "示例数据"

"""What a power says, as plain data, and the checks it must pass before it is stored."""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from decimal import Decimal


class Category(enum.StrEnum):
    """事项类别, with the two-digit number used in the basic code."""

    LICENSING = "LICENSING"  # 行政许可
    PENALTY = "PENALTY"  # 行政处罚
    COERCION = "COERCION"  # 行政强制
    LEVY = "LEVY"  # 行政征收
    BENEFIT = "BENEFIT"  # 行政给付
    INSPECTION = "INSPECTION"  # 行政检查
    CONFIRMATION = "CONFIRMATION"  # 行政确认
    REWARD = "REWARD"  # 行政奖励
    ADJUDICATION = "ADJUDICATION"  # 行政裁决
    OTHER = "OTHER"  # 其他

    @property
    def number(self) -> str:
        return f"{list(Category).index(self) + 1:02d}"

    @property
    def label(self) -> str:
        return CATEGORY_LABELS[self]


CATEGORY_LABELS = {
    Category.LICENSING: "行政许可",
    Category.PENALTY: "行政处罚",
    Category.COERCION: "行政强制",
    Category.LEVY: "行政征收",
    Category.BENEFIT: "行政给付",
    Category.INSPECTION: "行政检查",
    Category.CONFIRMATION: "行政确认",
    Category.REWARD: "行政奖励",
    Category.ADJUDICATION: "行政裁决",
    Category.OTHER: "其他",
}


class DayUnit(enum.StrEnum):
    WORKING_DAY = "WORKING_DAY"  # 工作日
    CALENDAR_DAY = "CALENDAR_DAY"  # 自然日


class RiskType(enum.StrEnum):
    TIME = "TIME"  # 时限
    PROCEDURE = "PROCEDURE"  # 程序
    AUTHORITY = "AUTHORITY"  # 权限
    QUANTITY = "QUANTITY"  # 数量
    QUALITY = "QUALITY"  # 质量
    KEY = "KEY"  # 重点
    SPECIAL = "SPECIAL"  # 特殊


class RiskLevel(enum.StrEnum):
    HIGH = "HIGH"
    MEDIUM = "MEDIUM"
    LOW = "LOW"


MAX_LIMIT_DAYS = 3650


@dataclass(frozen=True)
class TimeLimit:
    value: int
    unit: DayUnit = DayUnit.WORKING_DAY


@dataclass(frozen=True)
class LegalBasis:
    law: str
    article: str = ""


@dataclass(frozen=True)
class Material:
    name: str
    required: bool = True


@dataclass(frozen=True)
class Node:
    """环节: one step of the procedure, taken by a post within its own limit."""

    name: str
    post: str
    limit: int
    key_data: tuple[str, ...] = ()


@dataclass(frozen=True)
class Fee:
    name: str
    min_amount: Decimal
    max_amount: Decimal
    basis: str = ""


@dataclass(frozen=True)
class RiskPoint:
    type: RiskType
    level: RiskLevel
    description: str
    measure: str = ""
    node: str | None = None


@dataclass(frozen=True)
class DiscretionStandard:
    """自由裁量基准: the penalty range allowed for one circumstance."""

    circumstance: str
    min_amount: Decimal
    max_amount: Decimal
    basis: str = ""


@dataclass(frozen=True)
class PowerSpec:
    """Everything a version of a power says, apart from its code and lifecycle."""

    name: str
    category: Category
    department_code: str
    statutory_limit: TimeLimit
    promised_limit: TimeLimit
    legal_basis: tuple[LegalBasis, ...]
    conditions: tuple[str, ...] = ()
    materials: tuple[Material, ...] = ()
    nodes: tuple[Node, ...] = ()
    fees: tuple[Fee, ...] = ()
    on_the_spot: bool = False
    risk_points: tuple[RiskPoint, ...] = ()
    discretion: tuple[DiscretionStandard, ...] = field(default=())


@dataclass(frozen=True)
class Problem:
    """One reason a spec cannot be stored: a stable code, the field, a message."""

    code: str
    field: str
    message: str


def check_spec(spec: PowerSpec) -> list[Problem]:
    """Every problem with a spec; empty when it may be stored."""
    problems: list[Problem] = []

    def bad(code: str, where: str, message: str) -> None:
        problems.append(Problem(code, where, message))

    for where, value, longest in _texts(spec):
        if len(value) > longest:
            bad("TOO_LONG", where, f"at most {longest} characters")
    for where, amount in _amounts(spec):
        if not amount.is_finite():
            bad("INVALID_AMOUNT", where, "an amount must be a finite number of yuan")
    if problems:
        return problems
    if not spec.name.strip() or len(spec.name) > 200:
        bad("INVALID_NAME", "name", "a name of 1 to 200 characters is required")
    if not spec.legal_basis or any(not b.law.strip() for b in spec.legal_basis):
        bad("MISSING_LEGAL_BASIS", "legalBasis", "at least one law is required, each named")
    for where, limit in (
        ("statutoryLimit", spec.statutory_limit),
        ("promisedLimit", spec.promised_limit),
    ):
        if not 0 <= limit.value <= MAX_LIMIT_DAYS:
            bad("INVALID_LIMIT", where, f"a limit is 0 to {MAX_LIMIT_DAYS} days")
    if spec.statutory_limit.value == 0 and not spec.on_the_spot:
        bad(
            "INVALID_LIMIT",
            "statutoryLimit",
            "only an on-the-spot item may have a statutory limit of 0",
        )
    if (
        spec.promised_limit.unit == spec.statutory_limit.unit
        and spec.promised_limit.value > spec.statutory_limit.value
    ):
        bad("INVALID_LIMIT", "promisedLimit", "the promised limit exceeds the statutory limit")
    if spec.on_the_spot and spec.promised_limit.value != 0:
        bad("INVALID_LIMIT", "promisedLimit", "an on-the-spot item (即办件) promises 0 days")
    names = [node.name for node in spec.nodes]
    if len(set(names)) != len(names):
        bad("INVALID_PROCEDURE", "nodes", "node names must be unique within a power")
    for index, node in enumerate(spec.nodes):
        if not node.name.strip() or not node.post.strip():
            bad("INVALID_PROCEDURE", f"nodes[{index}]", "each node needs a name and a post")
        if node.limit < 0:
            bad("INVALID_LIMIT", f"nodes[{index}].limit", "a node's limit cannot be negative")
    if sum(node.limit for node in spec.nodes) > spec.promised_limit.value:
        bad("INVALID_LIMIT", "nodes", "the nodes' limits add up to more than the promised limit")
    for index, fee in enumerate(spec.fees):
        if fee.min_amount < 0 or fee.max_amount < fee.min_amount:
            bad("INVALID_FEE", f"fees[{index}]", "a fee needs 0 <= minimum <= maximum")
    for index, point in enumerate(spec.risk_points):
        if point.node is not None and point.node not in names:
            bad("INVALID_RISK_POINT", f"riskPoints[{index}].node", f"no node named {point.node!r}")
        if not point.description.strip():
            bad("INVALID_RISK_POINT", f"riskPoints[{index}]", "a risk point needs a description")
    if spec.discretion and spec.category is not Category.PENALTY:
        bad(
            "INVALID_DISCRETION",
            "discretionStandards",
            "discretion standards belong to penalty items only",
        )
    for index, standard in enumerate(spec.discretion):
        if standard.min_amount < 0 or standard.max_amount < standard.min_amount:
            bad(
                "INVALID_DISCRETION",
                f"discretionStandards[{index}]",
                "a range needs 0 <= minimum <= maximum",
            )
    return problems


def _texts(spec: PowerSpec):
    yield "name", spec.name, 200
    for i, node in enumerate(spec.nodes):
        yield f"nodes[{i}].name", node.name, 100
        yield f"nodes[{i}].post", node.post, 100
    for i, point in enumerate(spec.risk_points):
        yield f"riskPoints[{i}].node", point.node or "", 100


def _amounts(spec: PowerSpec):
    for i, fee in enumerate(spec.fees):
        yield f"fees[{i}]", fee.min_amount
        yield f"fees[{i}]", fee.max_amount
    for i, standard in enumerate(spec.discretion):
        yield f"discretionStandards[{i}]", standard.min_amount
        yield f"discretionStandards[{i}]", standard.max_amount

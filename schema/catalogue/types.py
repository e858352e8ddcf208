"""GraphQL types of the catalogue of powers (权力清单)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from decimal import Decimal

import strawberry
from strawberry import relay

from schema.catalogue.readers import readership
from schema.context import Info
from schema.divisions.types import Division
from schema.organisation.types import Department
from schema.pagination import database_id
from supervision.catalogue import models, spec
from supervision.catalogue.queries import versions_by_id

PowerCategory = strawberry.enum(
    spec.Category,
    name="PowerCategory",
    description="事项类别: 行政许可 LICENSING, 行政处罚 PENALTY, 行政强制 COERCION, "
    "行政征收 LEVY, 行政给付 BENEFIT, 行政检查 INSPECTION, 行政确认 CONFIRMATION, "
    "行政奖励 REWARD, 行政裁决 ADJUDICATION, 其他 OTHER.",
)
PowerStatus = strawberry.enum(
    models.PowerStatus,
    description="草稿 DRAFT, 已发布 PUBLISHED, 暂停实施 SUSPENDED, 已取消 CANCELLED.",
)
ChangeKind = strawberry.enum(
    models.ChangeKind,
    description="国办函〔2016〕108号 kinds of change: 新增 ADD, 变更 CHANGE, 拆分 SPLIT, "
    "合并 MERGE, 暂停 SUSPEND, 取消 CANCEL.",
)
DayUnit = strawberry.enum(spec.DayUnit, description="工作日 WORKING_DAY or 自然日 CALENDAR_DAY.")
RiskType = strawberry.enum(
    spec.RiskType,
    description="风险类型: 时限 TIME, 程序 PROCEDURE, 权限 AUTHORITY, 数量 QUANTITY, "
    "质量 QUALITY, 重点 KEY, 特殊 SPECIAL.",
)
RiskLevel = strawberry.enum(spec.RiskLevel, description="风险等级: 高 HIGH, 中 MEDIUM, 低 LOW.")


@strawberry.type(description="法定时限 / 承诺时限: a number of working or calendar days.")
class TimeLimit:
    value: int
    unit: DayUnit


@strawberry.type(description="法律依据: a law and the article that grants the power.")
class LegalBasis:
    law: str
    article: str


@strawberry.type(description="申请材料")
class Material:
    name: str
    required: bool


@strawberry.type(description="收费: a fixed amount (min = max) or a range, in yuan.")
class Fee:
    name: str
    min_amount: Decimal
    max_amount: Decimal
    basis: str


@strawberry.type(description="自由裁量基准: the penalty range, in yuan, for one circumstance.")
class DiscretionStandard:
    circumstance: str
    min_amount: Decimal
    max_amount: Decimal
    basis: str


@strawberry.type(description="环节: one step of the procedure, its post and its own limit.")
class ProcedureNode:
    position: int
    name: str
    post: str
    limit: int
    key_data: list[str] = strawberry.field(description="关键数据 the step must produce.")

    @classmethod
    def from_row(cls, row: models.PowerNode) -> ProcedureNode:
        return cls(
            position=row.position,
            name=row.name,
            post=row.post,
            limit=row.limit_value,
            key_data=list(row.key_data),
        )


@strawberry.type(description="风险点")
class RiskPoint:
    type: RiskType
    level: RiskLevel
    description: str
    measure: str = strawberry.field(description="防控措施")
    node: str | None = strawberry.field(description="The procedure node it sits on, if any.")

    @classmethod
    def from_row(cls, row: models.PowerRiskPoint) -> RiskPoint:
        return cls(
            type=row.type,
            level=row.level,
            description=row.description,
            measure=row.measure,
            node=row.node,
        )


@strawberry.type(description="职权 / 事项: one version of one item of the catalogue of powers.")
class Power(relay.Node):
    key: relay.NodeID[int]
    code: str = strawberry.field(description="事项编码 (GB/T 39554.1 structure).")
    version: int
    name: str
    category: PowerCategory
    status: PowerStatus = strawberry.field(description="The status this version records.")
    change_kind: ChangeKind
    change_note: str
    related_codes: list[str] = strawberry.field(
        description="Codes this version was split from, merged from, split into or merged into."
    )
    division_code: str
    conditions: list[str] = strawberry.field(description="申请条件")
    materials: list[Material]
    legal_basis: list[LegalBasis]
    fees: list[Fee]
    discretion_standards: list[DiscretionStandard]
    statutory_limit: TimeLimit
    promised_limit: TimeLimit
    on_the_spot: bool = strawberry.field(description="即办件")
    created_at: datetime
    created_by: str
    effective_from: datetime | None = strawberry.field(description="In force from (published).")
    effective_to: datetime | None = strawberry.field(description="In force until, if replaced.")
    department_id: strawberry.Private[int]

    @classmethod
    def from_row(cls, row: models.PowerVersion) -> Power:
        return cls(
            key=row.id,
            code=row.code,
            version=row.version,
            name=row.name,
            category=row.category,
            status=row.status,
            change_kind=row.change_kind,
            change_note=row.change_note,
            related_codes=list(row.related_codes),
            division_code=row.division_code,
            conditions=list(row.conditions),
            materials=[Material(name=m["name"], required=m["required"]) for m in row.materials],
            legal_basis=[LegalBasis(law=b["law"], article=b["article"]) for b in row.legal_basis],
            fees=[
                Fee(
                    name=f["name"],
                    min_amount=Decimal(f["min"]),
                    max_amount=Decimal(f["max"]),
                    basis=f["basis"],
                )
                for f in row.fees
            ],
            discretion_standards=[
                DiscretionStandard(
                    circumstance=d["circumstance"],
                    min_amount=Decimal(d["min"]),
                    max_amount=Decimal(d["max"]),
                    basis=d["basis"],
                )
                for d in row.discretion
            ],
            statutory_limit=TimeLimit(value=row.statutory_value, unit=row.statutory_unit),
            promised_limit=TimeLimit(value=row.promised_value, unit=row.promised_unit),
            on_the_spot=row.on_the_spot,
            created_at=row.created_at,
            created_by=row.created_by,
            effective_from=row.effective_from,
            effective_to=row.effective_to,
            department_id=row.department_id,
        )

    @strawberry.field(description="The category's Chinese name, e.g. 行政许可.")
    def category_label(self) -> str:
        return spec.CATEGORY_LABELS[spec.Category(self.category)]

    @strawberry.field(description="办理流程: the procedure's nodes in order.")
    async def nodes(self, info: Info) -> list[ProcedureNode]:
        rows = await info.context.loaders.nodes_of_version.load(self.key)
        return [ProcedureNode.from_row(row) for row in rows]

    @strawberry.field
    async def risk_points(self, info: Info) -> list[RiskPoint]:
        rows = await info.context.loaders.risk_points_of_version.load(self.key)
        return [RiskPoint.from_row(row) for row in rows]

    @strawberry.field(description="实施主体")
    async def department(self, info: Info) -> Department:
        return Department.from_row(await info.context.loaders.department.load(self.department_id))

    @strawberry.field
    async def division(self, info: Info) -> Division:
        return Division.from_row(await info.context.loaders.division.load(self.division_code))

    @classmethod
    async def resolve_nodes(
        cls, *, info: Info, node_ids: Iterable[str], required: bool = False
    ) -> list[Power | None]:
        ids = [database_id(i) or -1 for i in node_ids]
        found = await info.context.db(versions_by_id, readership=readership(info), ids=ids)
        return [Power.from_row(found[i]) if i in found else None for i in ids]

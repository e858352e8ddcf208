"""Catalogue spreadsheets (.xlsx and .csv): one power a row, lists one item a line.

Catalogue staff work in spreadsheets, so the columns carry Chinese headers and
the cells read the way a person writes them: "20个工作日", "是", one legal basis
per line as "《中华人民共和国行政许可法》第四十二条", one node per line as
"受理/窗口受理岗/1/申请人名称、受理通知书文号".
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path

from supervision.catalogue.spec import (
    CATEGORY_LABELS,
    Category,
    DayUnit,
    DiscretionStandard,
    Fee,
    LegalBasis,
    Material,
    Node,
    PowerSpec,
    RiskLevel,
    RiskPoint,
    RiskType,
    TimeLimit,
)

# (key, header) in sheet order
COLUMNS = [
    ("code", "事项编码"),
    ("name", "事项名称"),
    ("category", "事项类别"),
    ("department_code", "实施主体编码"),
    ("legal_basis", "设定依据"),
    ("conditions", "申请条件"),
    ("materials", "申请材料"),
    ("procedure", "办理流程"),
    ("fees", "收费标准"),
    ("statutory_limit", "法定时限"),
    ("promised_limit", "承诺时限"),
    ("on_the_spot", "即办件"),
    ("risk_points", "风险点"),
    ("discretion", "裁量基准"),
]
HEADERS = {header: key for key, header in COLUMNS} | {key: key for key, _ in COLUMNS}
HEADERS_BY_KEY = dict(COLUMNS)
REQUIRED = ("code", "name", "category", "department_code", "statutory_limit", "promised_limit")

_CATEGORY = {label: c for c, label in CATEGORY_LABELS.items()} | {c.value: c for c in Category}
_RISK_TYPE = {
    "时限": RiskType.TIME,
    "程序": RiskType.PROCEDURE,
    "权限": RiskType.AUTHORITY,
    "数量": RiskType.QUANTITY,
    "质量": RiskType.QUALITY,
    "重点": RiskType.KEY,
    "特殊": RiskType.SPECIAL,
} | {t.value: t for t in RiskType}
_RISK_TYPE_LABEL = {v: k for k, v in _RISK_TYPE.items() if not k.isascii()}
_LEVEL = {"高": RiskLevel.HIGH, "中": RiskLevel.MEDIUM, "低": RiskLevel.LOW} | {
    lv.value: lv for lv in RiskLevel
}
_LEVEL_LABEL = {v: k for k, v in _LEVEL.items() if not k.isascii()}
_LIMIT = re.compile(r"^(\d+)\s*个?\s*(工作日|自然日|日|天)$")
_OPTIONAL = "（选填）"


class RowError(ValueError):
    """A cell that cannot be read; the message names the column."""


@dataclass(frozen=True)
class Row:
    number: int  # as the spreadsheet shows it: the header is row 1
    code: str
    spec: PowerSpec


def _lines(text: str) -> list[str]:
    return [line.strip() for line in str(text or "").splitlines() if line.strip()]


def _parts(line: str, count: int, column: str) -> list[str]:
    parts = [p.strip() for p in line.split("/")]
    if len(parts) < count:
        raise RowError(f"{column}: {line!r} needs {count} parts separated by '/'")
    return parts


def _amount(text: str, column: str) -> Decimal:
    try:
        return Decimal(text.replace(",", "").replace("元", ""))
    except InvalidOperation:
        raise RowError(f"{column}: {text!r} is not an amount in yuan") from None


def _limit(text: str, column: str) -> TimeLimit:
    match = _LIMIT.match(str(text or "").strip())
    if not match:
        raise RowError(f"{column}: write the limit as '20个工作日' or '30个自然日', not {text!r}")
    unit = DayUnit.WORKING_DAY if match.group(2) == "工作日" else DayUnit.CALENDAR_DAY
    return TimeLimit(int(match.group(1)), unit)


def _legal_basis(line: str) -> LegalBasis:
    law, mark, article = line.rpartition("》")
    return LegalBasis(law + mark, article.strip()) if mark else LegalBasis(line, "")


def parse_row(number: int, cells: dict[str, str]) -> Row:
    """A spreadsheet row as a code and a spec; RowError says what is wrong."""
    missing = [HEADERS_BY_KEY[k] for k in REQUIRED if not str(cells.get(k) or "").strip()]
    if missing:
        raise RowError(f"missing {', '.join(missing)}")
    category = _CATEGORY.get(str(cells["category"]).strip())
    if category is None:
        raise RowError(
            f"事项类别: {cells['category']!r} is not one of {', '.join(CATEGORY_LABELS.values())}"
        )
    nodes = []
    for line in _lines(cells.get("procedure")):
        name, post, limit, *rest = _parts(line, 3, "办理流程")
        if not limit.isdigit():
            raise RowError(f"办理流程: the limit of {name!r} must be a whole number of days")
        key_data = tuple(k for k in re.split(r"[、,，]", rest[0]) if k.strip()) if rest else ()
        nodes.append(Node(name, post, int(limit), key_data))
    risk_points = []
    for line in _lines(cells.get("risk_points")):
        kind, level, description, *rest = _parts(line, 3, "风险点")
        if kind not in _RISK_TYPE or level not in _LEVEL:
            raise RowError(
                f"风险点: {line!r}: type 时限|程序|权限|数量|质量|重点|特殊, level 高|中|低"
            )
        measure = rest[0] if rest else ""
        node = rest[1] if len(rest) > 1 and rest[1] else None
        risk_points.append(RiskPoint(_RISK_TYPE[kind], _LEVEL[level], description, measure, node))
    fees = []
    for line in _lines(cells.get("fees")):
        name, low, high, *rest = _parts(line, 3, "收费标准")
        fees.append(
            Fee(name, _amount(low, "收费标准"), _amount(high, "收费标准"), rest[0] if rest else "")
        )
    discretion = []
    for line in _lines(cells.get("discretion")):
        circumstance, low, high, *rest = _parts(line, 3, "裁量基准")
        discretion.append(
            DiscretionStandard(
                circumstance,
                _amount(low, "裁量基准"),
                _amount(high, "裁量基准"),
                rest[0] if rest else "",
            )
        )
    on_the_spot = str(cells.get("on_the_spot") or "否").strip()
    if on_the_spot not in {"是", "否", "true", "false"}:
        raise RowError(f"即办件: write 是 or 否, not {on_the_spot!r}")
    spec = PowerSpec(
        name=str(cells["name"]).strip(),
        category=category,
        department_code=str(cells["department_code"]).strip(),
        statutory_limit=_limit(cells["statutory_limit"], "法定时限"),
        promised_limit=_limit(cells["promised_limit"], "承诺时限"),
        legal_basis=tuple(_legal_basis(line) for line in _lines(cells.get("legal_basis"))),
        conditions=tuple(_lines(cells.get("conditions"))),
        materials=tuple(
            Material(line.removesuffix(_OPTIONAL), not line.endswith(_OPTIONAL))
            for line in _lines(cells.get("materials"))
        ),
        nodes=tuple(nodes),
        fees=tuple(fees),
        on_the_spot=on_the_spot in {"是", "true"},
        risk_points=tuple(risk_points),
        discretion=tuple(discretion),
    )
    return Row(number, str(cells["code"]).strip(), spec)


def _format_limit(limit: TimeLimit) -> str:
    unit = "工作日" if limit.unit is DayUnit.WORKING_DAY else "自然日"
    return f"{limit.value}个{unit}"


def format_row(code: str, spec: PowerSpec) -> list[str]:
    """The cells of one power, in COLUMNS order; parse_row reads them back unchanged."""
    cells = {
        "code": code,
        "name": spec.name,
        "category": spec.category.label,
        "department_code": spec.department_code,
        "legal_basis": "\n".join(b.law + b.article for b in spec.legal_basis),
        "conditions": "\n".join(spec.conditions),
        "materials": "\n".join(m.name + ("" if m.required else _OPTIONAL) for m in spec.materials),
        "procedure": "\n".join(
            f"{n.name}/{n.post}/{n.limit}" + (f"/{'、'.join(n.key_data)}" if n.key_data else "")
            for n in spec.nodes
        ),
        "fees": "\n".join(f"{f.name}/{f.min_amount}/{f.max_amount}/{f.basis}" for f in spec.fees),
        "statutory_limit": _format_limit(spec.statutory_limit),
        "promised_limit": _format_limit(spec.promised_limit),
        "on_the_spot": "是" if spec.on_the_spot else "否",
        "risk_points": "\n".join(
            "/".join(
                (
                    _RISK_TYPE_LABEL[r.type],
                    _LEVEL_LABEL[r.level],
                    r.description,
                    r.measure,
                    r.node or "",
                )
            )
            for r in spec.risk_points
        ),
        "discretion": "\n".join(
            f"{d.circumstance}/{d.min_amount}/{d.max_amount}/{d.basis}" for d in spec.discretion
        ),
    }
    return [cells[key] for key, _ in COLUMNS]


def read(path: Path) -> Iterator[tuple[int, dict[str, str]]]:
    """(row number, cells by column key) of each non-empty data row of a .xlsx or .csv file."""
    suffix = path.suffix.lower()
    if suffix == ".csv":
        with path.open(newline="", encoding="utf-8-sig") as file:
            yield from _rows(csv.reader(file))
    elif suffix == ".xlsx":
        from openpyxl import load_workbook

        workbook = load_workbook(path, read_only=True, data_only=True)
        try:
            sheet = workbook.worksheets[0]
            yield from _rows(
                ["" if v is None else str(v) for v in row]
                for row in sheet.iter_rows(values_only=True)
            )
        finally:
            workbook.close()
    else:
        raise RowError(f"{path.name}: use a .xlsx or .csv file")


def _rows(lines: Iterable[list[str]]) -> Iterator[tuple[int, dict[str, str]]]:
    lines = iter(lines)
    header = next(lines, None)
    if header is None:
        return
    keys = [HEADERS.get(str(h).strip()) for h in header]
    if "code" not in keys:
        raise RowError("the first row must hold the column headers (事项编码, 事项名称, …)")
    for number, values in enumerate(lines, start=2):
        cells = {k: v for k, v in zip(keys, values, strict=False) if k}
        if any(str(v).strip() for v in cells.values()):
            yield number, cells


def write(path: Path, rows: Iterable[list[str]]) -> int:
    """Write a .xlsx or .csv file with the header row and `rows`; how many rows were written."""
    headers = [header for _, header in COLUMNS]
    count = 0
    if path.suffix.lower() == ".csv":
        with path.open("w", newline="", encoding="utf-8-sig") as file:
            writer = csv.writer(file)
            writer.writerow(headers)
            for row in rows:
                writer.writerow(row)
                count += 1
        return count
    if path.suffix.lower() != ".xlsx":
        raise RowError(f"{path.name}: use a .xlsx or .csv file")
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    workbook = Workbook(write_only=False)
    sheet = workbook.active
    sheet.title = "权力清单"
    sheet.append(headers)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in rows:
        sheet.append(row)
        count += 1
    wrap = Alignment(wrap_text=True, vertical="top")
    for row in sheet.iter_rows(min_row=2):
        for cell in row:
            cell.alignment = wrap
    sheet.freeze_panes = "C2"
    workbook.save(path)
    return count


def to_csv_text(rows: Iterable[list[str]]) -> str:
    """CSV text with the header row, for tests and pipes."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([header for _, header in COLUMNS])
    writer.writerows(rows)
    return buffer.getvalue()


def template_rows() -> list[list[str]]:
    """One example row showing how every cell is written."""
    from supervision.catalogue.codes import make
    from supervision.seed import demo_department_code

    # 市南区市场监督管理局 of the demo city, so the example imports there as it is
    department = demo_department_code("370202000000", "market_regulation")
    example = PowerSpec(
        name="食品经营许可",
        category=Category.LICENSING,
        department_code=department,
        statutory_limit=TimeLimit(20, DayUnit.WORKING_DAY),
        promised_limit=TimeLimit(10, DayUnit.WORKING_DAY),
        legal_basis=(
            LegalBasis("《中华人民共和国食品安全法》", "第三十五条"),
            LegalBasis("《中华人民共和国行政许可法》", "第四十二条"),
        ),
        conditions=("具有与经营的食品品种、数量相适应的经营场所",),
        materials=(Material("食品经营许可申请书"), Material("授权委托书", required=False)),
        nodes=(
            Node("受理", "窗口受理岗", 1, ("申请人名称", "受理通知书文号")),
            Node("审查", "审核岗", 6, ("审查意见",)),
            Node("决定", "审批(决定)岗", 3, ("决定文书号",)),
        ),
        risk_points=(RiskPoint(RiskType.TIME, RiskLevel.MEDIUM, "超时限办理", "时限预警", "决定"),),
    )
    code = make(
        category=Category.LICENSING,
        main=1,
        sub=1,
        division_code="370202000000",
        department_code=department,
    )
    return [format_row(code, example)]

"""Spreadsheets: good rows are kept, each bad row is reported, imports are idempotent."""

from dataclasses import replace
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from supervision.catalogue.importer import export_rows, import_rows
from supervision.catalogue.models import Power, PowerStatus, PowerVersion
from supervision.catalogue.spec import (
    Category,
    DayUnit,
    DiscretionStandard,
    Fee,
    Material,
    TimeLimit,
)
from supervision.catalogue.spreadsheet import (
    COLUMNS,
    RowError,
    format_row,
    parse_row,
    read,
    template_rows,
    write,
)


def _cells(code, spec) -> dict[str, str]:
    return dict(zip([key for key, _ in COLUMNS], format_row(code, spec), strict=True))


def test_a_row_reads_back_as_written(new_power):
    code, spec = new_power(
        category=Category.PENALTY,
        statutory_limit=TimeLimit(90, DayUnit.CALENDAR_DAY),
        promised_limit=TimeLimit(60, DayUnit.CALENDAR_DAY),
        materials=(Material("立案审批表"), Material("现场照片", required=False)),
        fees=(Fee("工本费", Decimal("10"), Decimal("10"), "鲁价费发〔2000〕1号"),),
        discretion=(
            DiscretionStandard(
                "轻微", Decimal("0"), Decimal("5000"), "《食品安全法》第一百二十二条"
            ),
            DiscretionStandard("严重", Decimal("50000"), Decimal("100000"), ""),
        ),
    )
    row = parse_row(7, _cells(code, spec))
    assert (row.number, row.code, row.spec) == (7, code, spec)


@pytest.mark.parametrize(
    ("column", "value", "message"),
    [
        ("statutory_limit", "二十天", "法定时限"),
        ("category", "行政许诺", "事项类别"),
        ("on_the_spot", "maybe", "即办件"),
        ("procedure", "受理/窗口受理岗", "办理流程"),
        ("procedure", "受理/窗口受理岗/一", "办理流程"),
        ("risk_points", "风险/高/描述", "风险点"),
        ("fees", "工本费/十元/10", "收费标准"),
        ("name", "", "missing 事项名称"),
    ],
)
def test_a_bad_cell_is_named(new_power, column, value, message):
    code, spec = new_power()
    cells = _cells(code, spec) | {column: value}
    with pytest.raises(RowError, match=message):
        parse_row(2, cells)


async def test_good_rows_are_kept_and_each_bad_row_reported(session, new_power):
    good_1, good_2, bad_limit, bad_code = new_power(), new_power(), new_power(), new_power()
    rows = [
        (2, _cells(*good_1)),
        (3, _cells(bad_limit[0], replace(bad_limit[1], promised_limit=TimeLimit(30)))),
        (4, _cells(*good_2)),
        (5, _cells(bad_code[0][:-1] + "X", bad_code[1])),
        (6, _cells(*good_1) | {"statutory_limit": "很快"}),
    ]
    outcomes = await import_rows(session=session, rows=rows, actor="import")
    assert [(o.row, o.outcome, o.error_code) for o in outcomes] == [
        (2, "created", None),
        (3, "error", "INVALID_LIMIT"),
        (4, "created", None),
        (5, "error", "INVALID_CODE"),
        (6, "error", "MALFORMED_ROW"),
    ]
    codes = [good_1[0], good_2[0], bad_limit[0]]
    stored = await session.scalars(select(Power.code).where(Power.code.in_(codes)))
    assert sorted(stored) == sorted([good_1[0], good_2[0]])


async def test_importing_again_changes_nothing_and_a_change_makes_a_version(session, new_power):
    code, spec = new_power()
    rows = [(2, _cells(code, spec))]
    await import_rows(session=session, rows=rows, actor="import", publish=True)
    again = await import_rows(session=session, rows=rows, actor="import", publish=True)
    assert [o.outcome for o in again] == ["unchanged"]
    changed = [(2, _cells(code, replace(spec, conditions=("新增条件",))))]
    assert [o.outcome for o in await import_rows(session=session, rows=changed, actor="i")] == [
        "revised"
    ]
    versions = await session.scalar(
        select(func.count()).select_from(PowerVersion).where(PowerVersion.code == code)
    )
    status = await session.scalar(select(Power.status).where(Power.code == code))
    assert (versions, status) == (2, PowerStatus.PUBLISHED)


@pytest.mark.parametrize("suffix", [".xlsx", ".csv"])
async def test_an_export_imports_back_unchanged(session, new_power, tmp_path, suffix):
    code, spec = new_power(materials=(Material("申请书"), Material("委托书", required=False)))
    await import_rows(session=session, rows=[(2, _cells(code, spec))], actor="import")
    path = tmp_path / f"catalogue{suffix}"
    rows = [
        r for r in await export_rows(session=session, division_code="370202000000") if r[0] == code
    ]
    assert write(path, rows) == 1
    read_back = list(read(path))
    assert [(n, c["code"]) for n, c in read_back] == [(2, code)]
    outcomes = await import_rows(session=session, rows=read_back, actor="import")
    assert [o.outcome for o in outcomes] == ["unchanged"]


def test_the_template_example_reads_as_a_valid_row():
    (example,) = template_rows()
    row = parse_row(2, dict(zip([key for key, _ in COLUMNS], example, strict=True)))
    assert row.spec.name == "食品经营许可"


def test_an_unknown_file_type_is_refused(tmp_path):
    with pytest.raises(RowError, match="xlsx or .csv"):
        list(read(tmp_path / "catalogue.ods"))


def test_a_sheet_without_headers_is_refused(tmp_path):
    path = tmp_path / "no-header.csv"
    path.write_text("a,b,c\n1,2,3\n", encoding="utf-8")
    with pytest.raises(RowError, match="headers"):
        list(read(path))

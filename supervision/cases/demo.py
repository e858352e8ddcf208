"""Demo cases (办件): a year of realistic timelines under the demo catalogue's published powers.

Deterministic: the same powers, count, `now` and seed give the same reports. Most cases are
accepted, taken through their procedure and approved on time; some are refused (不予受理),
rejected, paused for supplement (补正) or suspended (暂停), decided late, or still open. Most
decided results are published (公示, a PUBLISH fact the department reports) within a few
working days; some late, some never, so RESULT_NOT_PUBLISHED has something to see.
"""

from __future__ import annotations

import functools
import hashlib
import itertools
import random
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from supervision import credit_code, demo_data
from supervision.cases.calendar import current_calendar
from supervision.cases.clock import TZ, Pause, WorkCalendar, read_clock
from supervision.cases.ingest import report_events
from supervision.cases.models import Case
from supervision.cases.reports import MAX_BATCH, AttachmentReport, EventReport
from supervision.catalogue.models import Power, PowerNode, PowerStatus, PowerVersion
from supervision.organisation import Department
from supervision.rules.engine import evaluate_cases
from tenancy.codes import Tier, tier_of
from tenancy.scope import Scope

REPORTER = "demo-approval-system"
EX_OFFICIO = frozenset({"PENALTY", "INSPECTION", "COERCION", "LEVY"})  # 依职权: no application
TIER_WEIGHT = {Tier.CITY: 12, Tier.DISTRICT: 6, Tier.TOWN: 2, Tier.VILLAGE: 1}
SUSPEND_REASONS = ("听证", "检验", "检测", "鉴定", "专家评审")
RETURN_REASONS = (
    "申请事项不属于本机关职权范围",
    "申请事项依法不需要取得行政许可",
    "申请人不具备申请资格",
)
# (share below which, outcome): 不予受理, 不予批准, still open, decided late, on time
OUTCOMES = ((0.05, "RETURN"), (0.11, "REJECT"), (0.16, "OPEN"), (0.23, "LATE"), (1.0, "ON_TIME"))
TRADES = ("商贸", "建筑工程", "餐饮管理", "科技", "物流", "食品", "装饰工程", "海洋科技", "机械")
# (share below which, publication): within a few working days, after the 7 days, never
PUBLICATION = ((0.88, "TIMELY"), (0.95, "LATE"), (1.0, "NEVER"))
_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_CALENDAR = WorkCalendar()
_DAY = timedelta(days=1)


@dataclass(frozen=True)
class DemoPower:
    """A published power as the demo cases use it: limits, procedure, fees and penalties."""

    code: str
    division_code: str
    department_code: str
    category: str
    promised_value: int
    promised_unit: str
    on_the_spot: bool
    nodes: tuple[str, ...]
    posts: tuple[str, ...]
    key_data: tuple[tuple[str, ...], ...] = ()
    fees: tuple[tuple[str, Decimal, Decimal], ...] = ()
    penalties: tuple[tuple[str, Decimal, Decimal], ...] = ()


def id_check_char(body: str) -> str:
    """The 18th character of a citizen ID number (GB 11643) whose first 17 are `body`."""
    return "10X98765432"[sum(int(c) * w for c, w in zip(body, _ID_WEIGHTS, strict=True)) % 11]


def _workday(day: date) -> bool:
    return _CALENDAR.is_workday(day)[0]


def _forward(day: date, n: int, step: timedelta = _DAY) -> date:
    """The n-th working day after `day` (before it if step < 0); n = 0: `day` or the next one."""
    while not _workday(day):
        day += step
    for _ in range(n):
        day += step
        while not _workday(day):
            day += step
    return day


def _back(day: date, n: int) -> date:
    return _forward(day, n, -_DAY)


def _days(first: date, last: date) -> list[date]:
    return [first + _DAY * i for i in range((last - first).days + 1)]


def _due(power: DemoPower, accepted: date, pauses: list[tuple[date, date]]) -> date:
    """The last day of the promised limit, the clock stopped while paused (dates are enough)."""
    noon = functools.partial(datetime.combine, time=time(12), tzinfo=TZ)
    return read_clock(
        calendar=_CALENDAR,
        accepted_at=noon(accepted),
        limit_value=power.promised_value,
        limit_unit=power.promised_unit,
        pauses=[Pause(noon(s), noon(e)) for s, e in pauses],
        now=noon(accepted),
    ).due_at.date()


def _name(rng: random.Random) -> str:
    given = rng.choices(demo_data.GIVEN_NAME_CHARS, k=rng.choice((1, 2, 2)))
    return rng.choice(demo_data.SURNAMES) + "".join(given)


@functools.cache
def _officer(department_code: str, post: str, k: int) -> str:
    return _name(random.Random(f"{department_code}|{post}|{k}"))


class _Timeline:
    """One case's events, built day by day, then given business-hour times."""

    def __init__(self, rng: random.Random, power: DemoPower, n: int) -> None:
        self.rng, self.power, self.n = rng, power, n
        self.events: list[tuple[date, int, str, dict]] = []

    def add(self, day: date, action: str, node: int | None = None, **fields) -> None:
        """An event on `day`; at a node, with its post, an officer and its key data."""
        if node is not None:
            post, k = self.power.posts[node], self.rng.randrange(2)
            fields |= {"node": self.power.nodes[node], "post": post}
            fields["officer"] = _officer(self.power.department_code, post, k)
            if action in ("ACCEPT", "ADVANCE", "APPROVE", "REJECT") and self.power.key_data:
                keys = self.power.key_data[node]
                fields.setdefault("key_data", self._key_data(keys, day, action != "REJECT"))
        self.events.append((day, len(self.events), action, fields))

    def _key_data(self, keys: tuple[str, ...], day: date, agreed: bool) -> dict[str, str]:
        number = f"青{self.rng.randrange(100, 999)}〔{day.year}〕{self.n}号"
        amount = str(self.rng.randrange(200, 50_000))
        rules = [("日期", day.isoformat()), ("金额", amount), ("号", number), ("号码", number)]
        rules.append(("意见", "同意" if agreed else "不予批准"))
        return {k: next((v for end, v in rules if k.endswith(end)), "已录入") for k in keys}

    def attachment(self, name: str, version: int = 1) -> AttachmentReport:
        head = f"%PDF-1.7 {self.power.code} {self.n} {name} v{version}\n".encode()
        content = head + self.rng.randbytes(self.rng.randrange(2_000, 16_000))
        digest = hashlib.sha256(content).hexdigest()
        return AttachmentReport(name, digest, len(content), "application/pdf")

    def timed(self) -> list[tuple[datetime, str, dict]]:
        """The events in order, at distinct times between 09:00-11:45 and 13:30-17:30."""
        out = []
        for day, group in itertools.groupby(sorted(self.events), key=lambda e: e[0]):
            same = list(group)
            for (_, _, action, fields), minute in zip(
                same, sorted(self.rng.sample(range(405), len(same))), strict=True
            ):
                minute += 105 if minute >= 165 else 0  # lunch
                at = datetime.combine(day, time(9), TZ) + timedelta(minutes=minute)
                out.append((at + timedelta(seconds=self.rng.randrange(60)), action, fields))
        return out


def _applicant(rng: random.Random, division_code: str, n: int) -> dict[str, str]:
    """A person (ID number per GB 11643) or a company (credit code per GB 32100)."""
    phone = {"applicant_phone": f"1{rng.choice('3456789')}{rng.randrange(10**9):09d}"}
    if rng.random() < 0.55:
        birth = date(1950, 1, 1) + timedelta(days=rng.randrange(19_700))
        body = f"{division_code[:6]}{birth:%Y%m%d}{rng.randrange(1000):03d}"
        person = {"applicant_name": _name(rng), "applicant_id_number": body + id_check_char(body)}
        return person | phone
    name = f"青岛{''.join(rng.sample(demo_data.GIVEN_NAME_CHARS, 2))}{rng.choice(TRADES)}有限公司"
    code = credit_code.make(division6=division_code[:6], serial=n, kind="91")  # 91: 企业
    return {"applicant_name": name, "applicant_credit_code": code} | phone


def _build(t: _Timeline, accepted: date, outcome: str, pause: str | None) -> None:
    rng, power, last = t.rng, t.power, len(t.power.nodes) - 1
    applicant = _applicant(rng, power.division_code, t.n)
    ex_officio = power.category in EX_OFFICIO
    if not ex_officio:
        submitted = accepted if rng.random() < 0.6 else _back(accepted, rng.randint(1, 2))
        t.add(submitted, "SUBMIT", **applicant)
        applicant = {}
    if outcome == "RETURN":
        if not ex_officio and rng.random() < 0.3:  # 补正 never received: refused when it lapses
            t.add(submitted, "REQUEST_SUPPLEMENT", 0, opinion="材料不齐全，一次性告知补正")
            t.add(_forward(submitted, 5 + rng.randint(1, 3)), "RETURN", 0, reason="逾期未补正")
        else:
            reason = "经初步核查，不予立案" if ex_officio else rng.choice(RETURN_REASONS)
            t.add(_forward(accepted, rng.randint(0, 3)), "RETURN", 0, reason=reason, **applicant)
        return
    t.add(accepted, "ACCEPT", 0, **applicant)
    if rng.random() < 0.3:
        t.add(accepted, "ATTACH", attachments=(t.attachment("申请材料.pdf"),))
    span = sum(_workday(d) for d in _days(accepted + _DAY, _due(power, accepted, [])))
    pauses: list[tuple[date, date]] = []
    if pause and span >= 2:  # 补正 or 暂停 (never for 即办件: their span is 0)
        start = _forward(accepted, rng.randint(1, min(3, span - 1)))
        twice = pause == "SUPPLEMENT" and span >= 6 and rng.random() < 0.3
        for _ in range(1 + twice):
            length = rng.randint(3, 15) if pause == "SUPPLEMENT" else rng.randint(10, 40)
            pauses.append((start, _forward(start + timedelta(days=length), 0)))
            start = _forward(pauses[-1][1], rng.randint(1, 2))
    due = _due(power, accepted, pauses)
    if outcome == "LATE":
        decided = _forward(due, rng.randint(1, 8))
    else:
        low = pauses[-1][1] + _DAY if pauses else accepted + _DAY * (not power.on_the_spot)
        options = [d for d in _days(low, due) if _workday(d)] or [_forward(low, 0)]
        decided = options[min(len(options) - 1, int(len(options) * rng.triangular(0.2, 1, 0.7)))]
    overtime = rng.random() < 0.04  # 加班: some steps on a day off
    free = [
        d
        for d in _days(accepted, decided)
        if (overtime or _workday(d)) and not any(s <= d <= e for s, e in pauses)
    ]
    steps = sorted(rng.choice(free) for _ in range(1, last))
    for node, day in enumerate(steps, start=1):
        t.add(day, "ADVANCE", node, opinion="同意，转下一环节")
    for k, (start, end) in enumerate(pauses, start=1):
        node = sum(day < start for day in steps)  # the node the case is at
        if pause == "SUPPLEMENT":
            t.add(start, "REQUEST_SUPPLEMENT", node, opinion="材料需补正，一次性告知")
            doc = t.attachment("补正材料.pdf", k)
            t.add(end, "RECEIVE_SUPPLEMENT", node, attachments=(doc,))
        else:
            t.add(start, "SUSPEND", node, reason=rng.choice(SUSPEND_REASONS))
            t.add(end, "RESUME", node, opinion="中止情形消除，恢复办理")
    if outcome == "OPEN":
        return
    approved = outcome != "REJECT"
    if approved and power.category == "PENALTY":
        standard = rng.choice(power.penalties or (("一般", Decimal(200), Decimal(5000)),))
        t.add(
            steps[-1] if steps else decided,
            "DECIDE_PENALTY",
            key_data={"情节": standard[0]},
            penalty_decided=_amount(rng, standard[1], standard[2], step=100),
        )
    for name, low_fee, high_fee in power.fees if approved else ():
        fee = _amount(rng, low_fee, high_fee, step=1)
        t.add(decided, "CHARGE_FEE", fee_charged=fee, key_data={"收费项目": name})
    opinion = "准予办理" if approved else "经审查不符合法定条件，不予批准"
    papers = (t.attachment("决定书.pdf"),) if rng.random() < 0.25 else ()
    t.add(decided, "APPROVE" if approved else "REJECT", last, opinion=opinion, attachments=papers)
    _publish(t, decided)


def _publish(t: _Timeline, decided: date) -> None:
    """公示: the department publishes the result, usually within days, sometimes late or never."""
    r = t.rng.random()
    publication = next(name for share, name in PUBLICATION if r < share)
    if publication == "TIMELY":
        day = _forward(decided, t.rng.randint(0, 3))
    elif publication == "LATE":
        day = _forward(decided + timedelta(days=t.rng.randint(8, 20)), 0)
    else:
        return
    t.add(day, "PUBLISH", opinion="办理结果已在政务公开网站公示")


def _amount(rng: random.Random, low: Decimal, high: Decimal, *, step: int) -> Decimal:
    if high <= low:
        return low
    return Decimal(int(low + (high - low) * Decimal(rng.random())) // step * step).max(low)


def demo_reports(
    *, powers: list[DemoPower], count: int, now: datetime, seed: int = 370200
) -> list[EventReport]:
    """`count` cases' reports over the 12 months before `now`, case by case, each in order."""
    if not powers:
        return []
    rng = random.Random(seed)
    weights = list(itertools.accumulate(TIER_WEIGHT[tier_of(p.division_code)] for p in powers))
    today = now.astimezone(TZ).date()
    reports: list[EventReport] = []
    for n in range(1, count + 1):
        power = rng.choices(powers, cum_weights=weights)[0]
        r, p = rng.random(), rng.random()
        outcome = next(name for share, name in OUTCOMES if r < share)
        pause = "SUPPLEMENT" if p < 0.065 else "SUSPEND" if p < 0.095 else None
        if outcome == "OPEN":  # accepted in the last two weeks
            accepted = _back(today - _DAY, rng.randint(0, 9))
        else:
            accepted = _forward(today - timedelta(days=rng.randint(1, 365)), 0)
        while True:
            timeline = _Timeline(rng, power, n)
            _build(timeline, accepted, outcome, pause)
            # a publication still to come is not reported yet
            events = [e for e in timeline.timed() if e[1] != "PUBLISH" or e[0] <= now]
            if outcome == "OPEN":
                events = [e for e in events if e[0] <= now]
            if events[-1][0] <= now:
                break
            # it would end in the future: start it earlier, still within the year
            latest = accepted - timedelta(days=(events[-1][0].date() - today).days + 1)
            accepted = _forward(today - timedelta(days=rng.randint(0, 365)), 0)
            accepted = min(accepted, _back(latest, 0))
        number = f"{power.division_code[:6]}-{events[0][0].year}-{n:06d}"
        reports.extend(
            EventReport(
                event_id=f"{number}-{k}",
                case_number=number,
                power_code=power.code,
                division_code=power.division_code,
                department_code=power.department_code,
                action=action,
                occurred_at=at,
                **fields,
            )
            for k, (at, action, fields) in enumerate(events, start=1)
        )
    return reports


async def demo_powers(*, session: AsyncSession) -> list[DemoPower]:
    """The published powers with their current version's procedure, by code."""
    published = Power.status == PowerStatus.PUBLISHED
    rows = await session.execute(
        select(Power.code, Department.code, PowerVersion)
        .join(PowerVersion, PowerVersion.id == Power.current_version_id)
        .join(Department, Department.id == Power.department_id)
        .where(published)
        .order_by(Power.code)
    )
    nodes: dict[int, list[PowerNode]] = {}
    for node in await session.scalars(
        select(PowerNode)
        .join(Power, Power.current_version_id == PowerNode.version_id)
        .where(published)
        .order_by(PowerNode.version_id, PowerNode.position)
    ):
        nodes.setdefault(node.version_id, []).append(node)
    return [
        DemoPower(
            code=code,
            division_code=v.division_code,
            department_code=department_code,
            category=str(v.category),
            promised_value=v.promised_value,
            promised_unit=str(v.promised_unit),
            on_the_spot=v.on_the_spot,
            nodes=tuple(n.name for n in nodes[v.id]),
            posts=tuple(n.post for n in nodes[v.id]),
            key_data=tuple(tuple(n.key_data) for n in nodes[v.id]),
            fees=tuple((f["name"], Decimal(f["min"]), Decimal(f["max"])) for f in v.fees),
            penalties=tuple(
                (d["circumstance"], Decimal(d["min"]), Decimal(d["max"])) for d in v.discretion
            ),
        )
        for code, department_code, v in rows
        if nodes.get(v.id)
    ]


async def seed_demo_cases(
    *,
    session: AsyncSession,
    count: int,
    now: datetime | None = None,
    progress: Callable[[int], None] = lambda _n: None,
) -> int:
    """Report `count` demo cases unless cases exist; the number of cases. The caller commits."""
    if await session.scalar(select(Case.id).limit(1)) is not None:
        return 0
    now = now or datetime.now(UTC)
    reports = demo_reports(powers=await demo_powers(session=session), count=count, now=now)
    reports.sort(key=lambda r: (r.occurred_at, r.event_id))
    scope = Scope.bypass("demo cases")
    for start in range(0, len(reports), MAX_BATCH):
        batch = reports[start : start + MAX_BATCH]
        # reported as it happened, so the rules judge each fact as of its own day
        as_of = min(now, max(r.occurred_at for r in batch))
        results = await report_events(
            session=session, reports=batch, reporter=REPORTER, scope=scope, now=as_of
        )
        refused = next((r for r in results if r.status != "ACCEPTED"), None)
        if refused is not None:
            raise RuntimeError(f"demo event {refused.event_id} {refused.status}: {refused.message}")
        await session.flush()
        progress(len(batch))
    await _catch_up(session, now)
    return len({r.case_number for r in reports})


async def _catch_up(session: AsyncSession, now: datetime) -> None:
    """What the worker would have raised since: the time-driven rules, up to `now`."""
    calendar = await current_calendar(session=session)
    due = select(Case.number).where(Case.next_check_at <= now).order_by(Case.next_check_at)
    while numbers := list(await session.scalars(due.limit(MAX_BATCH))):
        # each case judged moves its next check past `now`: the loop ends
        await evaluate_cases(session=session, case_numbers=numbers, calendar=calendar, now=now)

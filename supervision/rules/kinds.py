"""监察规则的内置种类: the built-in rule kinds, their parameters and their evaluators.

Each kind is a pure function of a case view, its parameters, the working-day calendar and the
moment of evaluation. It raises one finding per breach, naming the facts (event ids) it rests
on, and is silent on a case that keeps the rule. Time-driven kinds depend on `now`; for them
`next_check_at` says when an open case must next be looked at, and is recomputed on every
new fact. Every working-day count goes through the legal clock (`read_clock`). One more kind,
CUSTOM, runs a supervisor's own CEL expression (`supervision.rules.custom`), checked when saved.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from supervision.cases.clock import WorkCalendar
from supervision.cases.models import Action
from supervision.rules import custom as _custom
from supervision.rules.timeline import (
    DECISIONS,
    acceptance,
    decision,
    ids,
    late,
    limit_text,
    local_day,
    long_suspensions,
    money,
    near_next,
    node_next,
    node_overruns,
    order_anomaly_text,
    overdue_next,
    publish_by,
    publish_next,
    ranges_text,
    stays,
    steps_of,
    suspension_next,
    usage,
    within,
)
from supervision.rules.view import CaseView, Param

MAX_DAYS = 3650


class RuleKind(StrEnum):
    """监察规则种类."""

    OVERDUE = "OVERDUE"  # 超期
    NEAR_DEADLINE = "NEAR_DEADLINE"  # 临近时限
    NODE_OVERDUE = "NODE_OVERDUE"  # 环节超时
    REPEATED_SUPPLEMENT = "REPEATED_SUPPLEMENT"  # 多次补正
    RETURNED = "RETURNED"  # 退回
    SUSPENSION_TOO_LONG = "SUSPENSION_TOO_LONG"  # 暂停过长
    KEY_DATA_MISSING = "KEY_DATA_MISSING"  # 关键数据缺失
    PROCEDURE_OUT_OF_ORDER = "PROCEDURE_OUT_OF_ORDER"  # 程序异常
    FEE_OUT_OF_STANDARD = "FEE_OUT_OF_STANDARD"  # 收费超标准
    PENALTY_OUT_OF_RANGE = "PENALTY_OUT_OF_RANGE"  # 处罚超裁量基准
    ON_THE_SPOT_NOT_ON_THE_SPOT = "ON_THE_SPOT_NOT_ON_THE_SPOT"  # 即办件未即办
    SAME_OFFICER_ACCEPTS_AND_DECIDES = "SAME_OFFICER_ACCEPTS_AND_DECIDES"  # 受理与决定同一人
    RESULT_NOT_PUBLISHED = "RESULT_NOT_PUBLISHED"  # 结果未公示
    COMPLAINT_OVERDUE = "COMPLAINT_OVERDUE"  # 投诉超期未答复
    RATING_NOT_RECTIFIED = "RATING_NOT_RECTIFIED"  # 差评整改未回访
    CUSTOM = "CUSTOM"  # 自定义规则


class Trigger(StrEnum):
    EVENT = "EVENT"  # evaluated when a fact arrives
    TIME = "TIME"  # also evaluated as time passes (depends on `now`)


@dataclass(frozen=True)
class Finding:
    """One breach of a rule: which kind, on which facts, in words for people."""

    kind: RuleKind
    event_ids: tuple[str, ...]
    detail: str
    node: str | None = None


# --- time limits (time-driven) ---


def overdue(
    case: CaseView, params: Mapping, *, calendar: WorkCalendar, now: datetime
) -> list[Finding]:
    """超期: open past the promised due moment (the end of the due day), or decided after it.

    The due moment comes from the legal clock: counted from the day after acceptance, working
    days on the official calendar (or calendar days, per the limit), pauses (补正, 暂停) left
    out. An open case is overdue from the first moment after its due day, even a day off; a
    case not accepted, closed undecided, or without a promised limit is never overdue.
    """
    check_params(RuleKind.OVERDUE, params)
    reading = late(case, calendar, now)
    if reading is None:
        return []
    due = f"承诺时限{limit_text(case)}，应于 {local_day(reading.due_at)} 前办结"
    over = f"，超出 {reading.overdue_by} 个工作日" if reading.overdue_by else ""
    if case.decided_at is None:
        return [Finding(RuleKind.OVERDUE, ids(acceptance(case)), f"{due}，至今未办结{over}")]
    detail = f"{due}，{local_day(case.decided_at)} 才办结{over}"
    return [Finding(RuleKind.OVERDUE, ids(acceptance(case), decision(case)), detail)]


def near_deadline(
    case: CaseView, params: Mapping, *, calendar: WorkCalendar, now: datetime
) -> list[Finding]:
    """临近时限: an open case, not yet overdue, has used at least `share` of its promised limit.

    Days used are counted as the clock counts them (from the day after acceptance, pauses left
    out) in the limit's own unit: working days, or calendar days for a calendar-day limit; a
    day counts as used from its 00:00. The rule fires once ceil(share × limit) days are used.
    An on-the-spot case (limit 0) has nothing to approach.
    """
    share = check_params(RuleKind.NEAR_DEADLINE, params)["share"]
    found = usage(case, share, calendar, now)
    if found is None or found.used < found.warn_at or now > found.due_at:
        return []
    detail = (
        f"承诺时限{limit_text(case)}，已用 {limit_text(case, found.used)}（达到 {share:.0%}），"
        f"应于 {local_day(found.due_at)} 前办结"
    )
    return [Finding(RuleKind.NEAR_DEADLINE, ids(acceptance(case)), detail)]


def node_overdue(
    case: CaseView, params: Mapping, *, calendar: WorkCalendar, now: datetime
) -> list[Finding]:
    """环节超时: a case stayed at a node more working days than the node's own limit.

    A stay runs from the fact that reached the node (the first acceptance reaches the first
    node; an ADVANCE the node it names) to the fact that left it (the next node reached, the
    decision, a return or withdrawal) or, for an open case still there, to `now`. Working days
    are counted from the day after reaching, pauses left out. Only nodes with a limit above 0
    are checked; `node` narrows the rule to one node. One finding per stay.
    """
    only = check_params(RuleKind.NODE_OVERDUE, params)["node"]
    found = []
    for stay, reading in node_overruns(case, only, calendar, now):
        days = reading.elapsed_working_days
        spent = f"用了 {days} 个工作日" if stay.left else f"已停留 {days} 个工作日，尚未办完"
        detail = f"环节「{stay.node.name}」时限 {stay.node.limit} 个工作日，{spent}"
        event_ids = ids(stay.reached, stay.left)
        found.append(Finding(RuleKind.NODE_OVERDUE, event_ids, detail, node=stay.node.name))
    return found


def suspension_too_long(
    case: CaseView, params: Mapping, *, calendar: WorkCalendar, now: datetime
) -> list[Finding]:
    """暂停过长: a suspension lasted more than `max_working_days` working days.

    A suspension runs from a SUSPEND fact to the fact that moves the case out of SUSPENDED
    (usually RESUME) or, while still suspended, to `now`; its working days are counted from
    the day after it began, on the official calendar. One finding per suspension.
    """
    limit = check_params(RuleKind.SUSPENSION_TOO_LONG, params)["max_working_days"]
    found = []
    for suspension, reading in long_suspensions(case, limit, calendar, now):
        since = local_day(suspension.started.occurred_at)
        still = "" if suspension.ended else "，至今未恢复"
        days = reading.elapsed_working_days
        detail = f"{since} 起暂停 {days} 个工作日，超过 {limit} 个工作日{still}"
        event_ids = ids(suspension.started, suspension.ended)
        found.append(Finding(RuleKind.SUSPENSION_TOO_LONG, event_ids, detail))
    return found


def result_not_published(
    case: CaseView, params: Mapping, *, calendar: WorkCalendar, now: datetime
) -> list[Finding]:
    """结果未公示: a decision not published within `days` calendar days of it.

    Days are counted from the day after the decision day (Beijing dates): decided on 10-09
    with `days` 7, the result must be published by the end of 10-16. Raised while it is
    unpublished after that, and also when it was published only after that.
    """
    days = check_params(RuleKind.RESULT_NOT_PUBLISHED, params)["days"]
    if case.decided_at is None:
        return []
    deadline = publish_by(case.decided_at, days)
    published = case.published_at
    if (now if published is None else published) < deadline:
        return []
    when = "至今未公示" if published is None else f"{local_day(published)} 才公示"
    detail = f"{local_day(case.decided_at)} 作出决定，应在 {days} 日内公示，{when}"
    return [Finding(RuleKind.RESULT_NOT_PUBLISHED, ids(decision(case)), detail)]


# --- the facts themselves (event-driven) ---


def repeated_supplement(
    case: CaseView, params: Mapping, *, calendar: WorkCalendar, now: datetime
) -> list[Finding]:
    """多次补正: supplement requested (REQUEST_SUPPLEMENT) more than `max` times.

    The law asks for everything missing to be named at once (一次告知); one finding names
    every request.
    """
    most = check_params(RuleKind.REPEATED_SUPPLEMENT, params)["max"]
    requests = steps_of(case, Action.REQUEST_SUPPLEMENT)
    if len(requests) <= most:
        return []
    detail = f"要求补正 {len(requests)} 次，超过 {most} 次（应一次告知需补正的全部内容）"
    return [Finding(RuleKind.REPEATED_SUPPLEMENT, ids(*requests), detail)]


def returned(
    case: CaseView, params: Mapping, *, calendar: WorkCalendar, now: datetime
) -> list[Finding]:
    """退回: the case was returned (a RETURN fact); one finding per return."""
    check_params(RuleKind.RETURNED, params)
    return [
        Finding(RuleKind.RETURNED, (step.event_id,), f"{local_day(step.occurred_at)} 办件被退回")
        for step in steps_of(case, Action.RETURN)
    ]


def key_data_missing(
    case: CaseView, params: Mapping, *, calendar: WorkCalendar, now: datetime
) -> list[Finding]:
    """关键数据缺失: a node was left without all of its key data.

    A node is left when the next node is reached or the case is decided (a return or a
    withdrawal is not checked; a node still being worked on is not checked yet). Each key
    data name the procedure lists for the node must carry a non-blank value in the facts
    reported at that node (a fact belongs to the node it names, else to the node the case is
    at) up to the leaving fact. `node` narrows the rule to one node.
    """
    only = check_params(RuleKind.KEY_DATA_MISSING, params)["node"]
    found = []
    for stay in stays(case):
        if stay.left_by not in ("NODE", "DECISION") or only not in (None, stay.node.name):
            continue
        missing = [name for name in stay.node.key_data if name not in stay.key_names]
        if missing:
            detail = f"离开环节「{stay.node.name}」时缺少关键数据：{'、'.join(missing)}"
            event_ids = ids(stay.reached, stay.left)
            found.append(Finding(RuleKind.KEY_DATA_MISSING, event_ids, detail, stay.node.name))
    return found


def procedure_out_of_order(
    case: CaseView, params: Mapping, *, calendar: WorkCalendar, now: datetime
) -> list[Finding]:
    """程序异常: the fold noted a fact out of order (OUT_OF_ORDER), a node skipped
    (NODE_SKIPPED) or a decision without the nodes before it (DECIDED_WITHOUT_NODES); or an
    APPROVE/REJECT fact's post is not the post of the procedure's last node (a decision that
    does not say its post cannot show it may take it). One finding per anomaly or decision.
    """
    check_params(RuleKind.PROCEDURE_OUT_OF_ORDER, params)
    found = [
        Finding(RuleKind.PROCEDURE_OUT_OF_ORDER, (str(anomaly["eventId"]),), text)
        for anomaly in case.anomalies
        if (text := order_anomaly_text(anomaly)) is not None
    ]
    if not case.procedure:
        return found
    last = case.procedure[-1]
    for step in steps_of(case, *DECISIONS):
        if step.post != last.post:
            by = f"由「{step.post}」作出" if step.post else "未载明作出岗位"
            detail = f"决定{by}，应由环节「{last.name}」的岗位「{last.post}」作出"
            finding = Finding(RuleKind.PROCEDURE_OUT_OF_ORDER, (step.event_id,), detail, last.name)
            found.append(finding)
    return found


def fee_out_of_standard(
    case: CaseView, params: Mapping, *, calendar: WorkCalendar, now: datetime
) -> list[Finding]:
    """收费超标准: a CHARGE_FEE amount within no fee's [min, max] of the power (ends
    included), or any fee charged by a power that charges none. One finding per charge."""
    check_params(RuleKind.FEE_OUT_OF_STANDARD, params)
    standard = f"收费标准：{ranges_text(case.fees)}" if case.fees else "本事项不收费"
    return [
        Finding(
            RuleKind.FEE_OUT_OF_STANDARD,
            (step.event_id,),
            f"收费 {money(step.fee_charged)} 元，不符合收费标准（{standard}）",
        )
        for step in steps_of(case, Action.CHARGE_FEE)
        if step.fee_charged is not None and not within(step.fee_charged, case.fees)
    ]


def penalty_out_of_range(
    case: CaseView, params: Mapping, *, calendar: WorkCalendar, now: datetime
) -> list[Finding]:
    """处罚超裁量基准: a DECIDE_PENALTY amount within no discretion standard's [min, max]
    (ends included); one finding per decision. A power without discretion standards gives
    nothing to measure against: silent."""
    check_params(RuleKind.PENALTY_OUT_OF_RANGE, params)
    standard = ranges_text(case.discretion)
    return [
        Finding(
            RuleKind.PENALTY_OUT_OF_RANGE,
            (step.event_id,),
            f"处罚 {money(step.penalty_decided)} 元，超出自由裁量基准（{standard}）",
        )
        for step in steps_of(case, Action.DECIDE_PENALTY)
        if case.discretion
        and step.penalty_decided is not None
        and not within(step.penalty_decided, case.discretion)
    ]


def on_the_spot_not_on_the_spot(
    case: CaseView, params: Mapping, *, calendar: WorkCalendar, now: datetime
) -> list[Finding]:
    """即办件未即办: an on-the-spot power's case decided on a later day than it was accepted
    (Beijing dates)."""
    check_params(RuleKind.ON_THE_SPOT_NOT_ON_THE_SPOT, params)
    if not case.on_the_spot or case.accepted_at is None or case.decided_at is None:
        return []
    accepted, decided = local_day(case.accepted_at), local_day(case.decided_at)
    if decided <= accepted:
        return []
    event_ids = ids(acceptance(case), decision(case))
    detail = f"即办件 {accepted} 受理，{decided} 才办结"
    return [Finding(RuleKind.ON_THE_SPOT_NOT_ON_THE_SPOT, event_ids, detail)]


def same_officer_accepts_and_decides(
    case: CaseView, params: Mapping, *, calendar: WorkCalendar, now: datetime
) -> list[Finding]:
    """受理与决定同一人: an officer who accepted the case (ACCEPT) also decided it
    (APPROVE/REJECT); one finding per such decision. Facts naming no officer prove nothing."""
    check_params(RuleKind.SAME_OFFICER_ACCEPTS_AND_DECIDES, params)
    accepts = {}
    for step in steps_of(case, Action.ACCEPT):
        accepts.setdefault((step.officer or "").strip(), step)
    accepts.pop("", None)
    found = []
    for step in steps_of(case, *DECISIONS):
        same = accepts.get((step.officer or "").strip())
        if same is not None:
            detail = f"工作人员「{same.officer.strip()}」既受理又作出决定"
            event_ids = ids(same, step)
            found.append(Finding(RuleKind.SAME_OFFICER_ACCEPTS_AND_DECIDES, event_ids, detail))
    return found


# --- a supervisor's own rule (event-driven) ---


def custom(
    case: CaseView, params: Mapping, *, calendar: WorkCalendar, now: datetime
) -> list[Finding]:
    """自定义规则: the rule's CEL `expression` is true of the case; one finding, in the words
    of its `message`. Never raises: an error while evaluating is logged and is silence.
    See `supervision.rules.custom` for what an expression sees."""
    return _custom.evaluate(case, params, calendar=calendar, now=now)


# --- complaints (time-driven; judged by the worker, never on a case) ---


def complaint_overdue(
    case: CaseView, params: Mapping, *, calendar: WorkCalendar, now: datetime
) -> list[Finding]:
    """投诉超期未答复: a complaint neither replied to nor closed by its due time. Complaints are
    not cases: on a case this kind is silent; the worker judges complaints by their own due
    time (`supervision.complaints.deadline.check_due_complaints`)."""
    check_params(RuleKind.COMPLAINT_OVERDUE, params)
    return []


def complaint_next(
    case: CaseView, params: Mapping, *, calendar: WorkCalendar, now: datetime
) -> datetime | None:
    """No case ever falls due for COMPLAINT_OVERDUE: complaints carry their own due time."""
    return None


# --- ratings (time-driven; judged by the worker from the rating's due time) ---


def rating_not_rectified(
    case: CaseView, params: Mapping, *, calendar: WorkCalendar, now: datetime
) -> list[Finding]:
    """差评整改未回访: a bad rating (不满意, 非常不满意) whose rectification was not called back
    by its due time (15 working days). The rating is not in the case's facts: on a case this
    kind is silent; the worker judges ratings by their own due time
    (`supervision.ratings.watch.check_unrectified_ratings`)."""
    check_params(RuleKind.RATING_NOT_RECTIFIED, params)
    return []


def rating_next(
    case: CaseView, params: Mapping, *, calendar: WorkCalendar, now: datetime
) -> datetime | None:
    """No case ever falls due for RATING_NOT_RECTIFIED: ratings carry their own due time."""
    return None


# --- the registry ---

Evaluator = Callable[..., list[Finding]]
NextCheck = Callable[..., datetime | None]


@dataclass(frozen=True)
class KindSpec:
    """A built-in kind: its evaluator, what it means, its legal basis and its parameters."""

    kind: RuleKind
    evaluate: Evaluator
    description: str  # one line, Chinese then English
    basis: str  # the law or principle the kind enforces
    params: tuple[Param, ...] = ()
    next_check: NextCheck | None = None  # time-driven kinds only
    check: Callable[[Mapping], dict] | None = None  # checks the parameters itself (CUSTOM)

    @property
    def trigger(self) -> Trigger:
        return Trigger.TIME if self.next_check is not None else Trigger.EVENT

    @property
    def time_driven(self) -> bool:
        return self.next_check is not None

    @property
    def defaults(self) -> dict[str, object]:
        return {param.name: param.default for param in self.params}


_LICENSING = "《中华人民共和国行政许可法》"
_NODE = Param("node", str, None, "只检查该环节（默认全部环节） — only this node (default: all)")

KINDS: dict[RuleKind, KindSpec] = {
    spec.kind: spec
    for spec in (
        KindSpec(
            RuleKind.OVERDUE,
            overdue,
            "超期：超过承诺时限未办结或逾期办结 — open past, or decided after, the promised limit",
            f"{_LICENSING}第四十二条；本事项的承诺时限",
            next_check=overdue_next,
        ),
        KindSpec(
            RuleKind.NEAR_DEADLINE,
            near_deadline,
            "临近时限：已用承诺时限达到设定比例 — an open case has used a share of its limit",
            f"{_LICENSING}第四十二条；本事项的承诺时限",
            (Param("share", float, 0.8, "已用时限比例 — share of the limit used", 0.01, 1),),
            next_check=near_next,
        ),
        KindSpec(
            RuleKind.NODE_OVERDUE,
            node_overdue,
            "环节超时：在环节停留超过该环节时限 — a case stayed at a node beyond its own limit",
            "本事项办理流程规定的环节时限",
            (_NODE,),
            next_check=node_next,
        ),
        KindSpec(
            RuleKind.REPEATED_SUPPLEMENT,
            repeated_supplement,
            "多次补正：要求补正超过设定次数 — supplement requested more than `max` times",
            f"{_LICENSING}第三十二条（一次告知需要补正的全部内容）",
            (Param("max", int, 1, "允许的补正次数 — supplement requests allowed", 0, 100),),
        ),
        KindSpec(
            RuleKind.RETURNED,
            returned,
            "退回：办件被退回或不予受理 — the case was returned",
            f"{_LICENSING}第三十二条（受理与不予受理）",
        ),
        KindSpec(
            RuleKind.SUSPENSION_TOO_LONG,
            suspension_too_long,
            "暂停过长：暂停超过设定工作日 — a suspension lasted too many working days",
            f"{_LICENSING}第四十五条（听证、检验、鉴定、专家评审等时间另计）",
            (Param("max_working_days", int, 30, "暂停允许的工作日数 — working days", 0, MAX_DAYS),),
            next_check=suspension_next,
        ),
        KindSpec(
            RuleKind.KEY_DATA_MISSING,
            key_data_missing,
            "关键数据缺失：离开环节时缺少该环节关键数据 — a node was left without its key data",
            "电子监察数据采集要求：各环节关键数据全程留痕",
            (_NODE,),
        ),
        KindSpec(
            RuleKind.PROCEDURE_OUT_OF_ORDER,
            procedure_out_of_order,
            "程序异常：跳过环节、顺序颠倒或无权岗位决定 — procedure skipped, out of order or "
            "decided by the wrong post",
            f"{_LICENSING}第四条（依照法定的权限、范围、条件和程序）",
        ),
        KindSpec(
            RuleKind.FEE_OUT_OF_STANDARD,
            fee_out_of_standard,
            "收费超标准：收费不在收费标准内 — a fee outside the power's fee standards",
            f"{_LICENSING}第五十九条（按照公布的法定项目和标准收费）",
        ),
        KindSpec(
            RuleKind.PENALTY_OUT_OF_RANGE,
            penalty_out_of_range,
            "处罚超裁量基准：处罚金额超出自由裁量基准 — a penalty outside the discretion standard",
            "《中华人民共和国行政处罚法》第三十四条（行政处罚裁量基准）",
        ),
        KindSpec(
            RuleKind.ON_THE_SPOT_NOT_ON_THE_SPOT,
            on_the_spot_not_on_the_spot,
            "即办件未即办：未在受理当日办结 — an on-the-spot case not decided the day accepted",
            f"{_LICENSING}第三十四条第二款（能够当场作出决定的，应当当场作出）",
        ),
        KindSpec(
            RuleKind.SAME_OFFICER_ACCEPTS_AND_DECIDES,
            same_officer_accepts_and_decides,
            "受理与决定同一人：同一人既受理又决定 — the same officer accepted and decided",
            "内部控制：受理与审批岗位分离",
        ),
        KindSpec(
            RuleKind.RESULT_NOT_PUBLISHED,
            result_not_published,
            "结果未公示：决定后未在规定天数内公示 — the result not published within `days` days",
            f"{_LICENSING}第四十条；《中华人民共和国行政处罚法》第四十八条",
            (Param("days", int, 7, "决定后应公示的自然日数 — calendar days", 0, MAX_DAYS),),
            next_check=publish_next,
        ),
        KindSpec(
            RuleKind.COMPLAINT_OVERDUE,
            complaint_overdue,
            "投诉超期：投诉逾期未答复 — a complaint neither replied to nor closed by its due time",
            "国办发〔2019〕51号（差评整改反馈 15 个工作日）；《信访工作条例》",
            next_check=complaint_next,
        ),
        KindSpec(
            RuleKind.RATING_NOT_RECTIFIED,
            rating_not_rectified,
            "差评整改未回访：差评逾期未整改回访 — a bad rating not called back within 15 working "
            "days",
            "国办发〔2019〕51号（差评整改反馈 15 个工作日）；GB/T 39734—2020 差评处置",
            next_check=rating_next,
        ),
        KindSpec(
            RuleKind.CUSTOM,
            custom,
            "自定义规则：规则的 CEL 表达式对办件成立 — the rule's own CEL expression holds",
            "监察机构制定的自定义监察规则（以规则载明的依据为准）",
            (
                Param(
                    "expression", str, None, "CEL 表达式（必填） — the CEL expression (required)"
                ),
                Param("message", str, None, "预警说明（可选） — the warning's words (optional)"),
            ),
            check=lambda params: _custom.check(params),
        ),
    )
}


def _kind(kind: RuleKind | str) -> RuleKind:
    try:
        return RuleKind(kind)
    except ValueError:
        raise ValueError(f"unknown rule kind {kind!r}; known: {', '.join(RuleKind)}") from None


def check_params(kind: RuleKind | str, params: Mapping | None) -> dict:
    """The parameters of a kind, defaults filled in; ValueError names what is wrong."""
    kind = _kind(kind)
    if params is None:
        params = {}
    if not isinstance(params, Mapping):
        raise ValueError(f"{kind}: parameters must be a mapping of names to values")
    declared = KINDS[kind].params
    unknown = sorted(str(name) for name in params if name not in {p.name for p in declared})
    if unknown:
        takes = ", ".join(p.name for p in declared) or "no parameters"
        raise ValueError(f"{kind}: unknown parameter {unknown[0]!r} (it takes {takes})")
    if KINDS[kind].check is not None:
        return KINDS[kind].check(params)
    return {p.name: p.check(params.get(p.name, p.default), kind) for p in declared}


def next_check_at(
    case: CaseView,
    kind: RuleKind | str,
    params: Mapping | None,
    *,
    calendar: WorkCalendar,
    now: datetime,
) -> datetime | None:
    """When a time-driven kind could next start to fire on this case, given no new facts.

    OVERDUE: the promised due moment; NEAR_DEADLINE: 00:00 of the day the share is reached;
    NODE_OVERDUE: 00:00 of the first working day past the current node's limit;
    SUSPENSION_TOO_LONG: the same for the running suspension; RESULT_NOT_PUBLISHED: the
    publication deadline. None when the kind is event-driven, already fires, or never can
    (a decided case for OVERDUE). With an open pause the answer assumes it ends today, so it
    is never later than the truth; recompute it on every new fact.
    """
    spec = KINDS[_kind(kind)]
    if spec.next_check is None:
        return None
    checked = check_params(spec.kind, params)
    return spec.next_check(case, checked, calendar=calendar, now=now)

"""Demo ratings: mostly satisfied, as the seeds' figures; bad ones with and without callbacks."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from supervision.cases.clock import WorkCalendar
from supervision.cases.models import CaseState
from supervision.ratings.demo import demo_rating
from supervision.ratings.service import rectification_due

NOW = datetime(2026, 6, 30, 4, tzinfo=UTC)


def _ratings(count: int, *, late_every: int = 7) -> list[dict]:
    calendar = WorkCalendar()
    rows = []
    for n in range(count):
        row = demo_rating(
            case_number=f"370202-2026-{n:06d}",
            division_code="370202000000",
            department_code="11370200MB0000000X",
            state=CaseState.REJECTED if n % 15 == 0 else CaseState.APPROVED,
            decided_at=NOW - timedelta(days=1 + n % 300),
            late=n % late_every == 0,
            now=NOW,
            calendar=calendar,
        )
        if row is not None:
            rows.append(row)
    return rows


def test_about_a_third_of_decided_cases_are_rated_and_nearly_all_satisfied():
    rows = _ratings(20_000)
    assert 0.3 < len(rows) / 20_000 < 0.4
    satisfied = sum(r["level"] >= 4 for r in rows) / len(rows)
    assert 0.975 < satisfied < 0.995  # the seeds quote 98.58%


def test_bad_ratings_open_rectifications_some_called_back_some_not():
    bad = [r for r in _ratings(20_000) if r["level"] <= 2]
    assert len(bad) > 20
    for r in bad:
        assert r["rectification_due_at"] == rectification_due(r["rated_at"], WorkCalendar())
        assert any(v <= 2 for v in r["dimensions"].values()) and r["comment"]
    statuses = {r["rectification_status"] for r in bad}
    assert statuses == {"OPEN", "CALLED_BACK"}
    called = [r for r in bad if r["callback_at"] is not None]
    assert all(r["callback_by"] and r["callback_note"] for r in called)
    assert any(r["callback_at"] > r["rectification_due_at"] for r in called)  # some late


def test_the_same_case_gets_the_same_rating():
    assert _ratings(500) == _ratings(500)
    assert all(r["rated_at"] <= NOW for r in _ratings(500))

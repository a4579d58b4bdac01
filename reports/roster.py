"""Officer-days (the check-in rate's denominator) from unit memberships: for a unit's board, the
days each person belonged to each child subtree (or to the unit itself) in each week, up to today.
Computed from accounts.UnitMembership, so a week's figure never changes when people join, move
or leave later, and nobody counts before their account or after it was deactivated."""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta

import sqlalchemy as sa

from accounts.models import Unit, UnitMembership
from core.extensions import db


@dataclass
class MemberDays:
    by_child: dict = field(default_factory=dict)  # child unit id -> {monday: days}
    own: dict = field(default_factory=dict)  # {monday: days} of people in the unit itself
    trend: dict = field(default_factory=dict)  # {monday: days} of the whole subtree


def member_days(unit: Unit, first_week: date, last_week: date, today: date) -> MemberDays:
    """Member-days of `unit`'s subtree in the weeks first_week..last_week (Mondays), counting
    days up to `today` only."""
    last_day = min(last_week + timedelta(days=6), today)
    result = MemberDays()
    if last_day < first_week:
        return result
    rows = db.session.execute(
        sa.select(Unit.id, Unit.path, UnitMembership.first_day, UnitMembership.end_day)
        .join(Unit, Unit.id == UnitMembership.unit_id)
        .where(
            Unit.path.startswith(unit.path),
            UnitMembership.first_day <= last_day,
            sa.or_(UnitMembership.end_day.is_(None), UnitMembership.end_day > first_week),
        )
    ).all()
    span = (last_day - first_week).days + 1
    steps = defaultdict(lambda: [0] * (span + 1))  # group -> +1 at the first day, -1 after the last
    prefix = len(unit.path)
    for unit_id, path, first_day, end_day in rows:
        group = "own" if unit_id == unit.id else int(path[prefix:].split("/", 1)[0])
        start = (max(first_day, first_week) - first_week).days
        stop = (min(end_day, last_day + timedelta(days=1)) - first_week).days if end_day else span
        if stop > start:
            steps[group][start] += 1
            steps[group][stop] -= 1
    for group, diff in steps.items():
        weeks: dict = defaultdict(int)
        present = 0
        for index in range(span):
            present += diff[index]
            weeks[first_week + timedelta(days=7 * (index // 7))] += present
        target = result.own if group == "own" else result.by_child.setdefault(group, {})
        for monday, days in weeks.items():
            target[monday] = days
            result.trend[monday] = result.trend.get(monday, 0) + days
    return result

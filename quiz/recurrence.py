"""The periods of a recurring template: each period's key ('2026-W48', '2026-11') and its
opening and closing moments, in the deployment's time zone. Pure apart from core.clock's zone."""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from core import clock
from quiz.models import ExamTemplate, Recurrence

MAX_CATCH_UP_PERIODS = 12  # a template never publishes further back than this many periods


@dataclass(frozen=True)
class Period:
    key: str
    opens_at: datetime
    closes_at: datetime


def _at(day: date, hhmm: str) -> datetime:
    hours, minutes = (int(part) for part in hhmm.split(":"))
    return clock.local_datetime(day, time(hours, minutes))


def weekly_period(template: ExamTemplate, monday: date) -> Period:
    opens_at = _at(monday + timedelta(days=template.open_weekday), template.open_time)
    closes_at = _at(monday + timedelta(days=template.close_weekday), template.close_time)
    if closes_at <= opens_at:  # e.g. opens Friday, closes Monday: the next week's Monday
        closes_at = _at(monday + timedelta(days=7 + template.close_weekday), template.close_time)
    return Period(clock.week_key(monday), opens_at, closes_at)


def monthly_period(template: ExamTemplate, first: date) -> Period:
    opens_at = _at(first.replace(day=template.open_day), template.open_time)
    closes_at = _at(first.replace(day=template.close_day), template.close_time)
    if closes_at <= opens_at:
        closes_at = _at(_next_month(first).replace(day=template.close_day), template.close_time)
    return Period(clock.month_key(first), opens_at, closes_at)


def _next_month(first: date) -> date:
    return date(first.year + first.month // 12, first.month % 12 + 1, 1)


def _previous_month(first: date) -> date:
    return date(first.year - (first.month == 1), (first.month - 2) % 12 + 1, 1)


def opened_periods(template: ExamTemplate, now: datetime) -> list[Period]:
    """The periods whose opening time has come, oldest first, from the template's start
    (`recurs_from`, else its creation) and at most MAX_CATCH_UP_PERIODS back."""
    start = template.recurs_from or template.created_at
    today = clock.local(now).date()
    periods = []
    if template.recurrence == Recurrence.WEEKLY:
        anchor = clock.week_start(today)
        for _ in range(MAX_CATCH_UP_PERIODS + 1):
            periods.append(weekly_period(template, anchor))
            anchor -= timedelta(days=7)
    elif template.recurrence == Recurrence.MONTHLY:
        anchor = today.replace(day=1)
        for _ in range(MAX_CATCH_UP_PERIODS + 1):
            periods.append(monthly_period(template, anchor))
            anchor = _previous_month(anchor)
    return sorted((p for p in periods if p.opens_at <= now and p.closes_at > start), key=lambda p: p.opens_at)[
        -MAX_CATCH_UP_PERIODS:
    ]


def next_period(template: ExamTemplate, now: datetime) -> Period | None:
    """The next period to open after `now` (for the template page)."""
    today = clock.local(now).date()
    if template.recurrence == Recurrence.WEEKLY:
        candidates = [weekly_period(template, clock.week_start(today) + timedelta(days=7 * k)) for k in range(2)]
    elif template.recurrence == Recurrence.MONTHLY:
        this_month = today.replace(day=1)
        candidates = [monthly_period(template, this_month), monthly_period(template, _next_month(this_month))]
    else:
        return None
    return next((p for p in candidates if p.opens_at > now), None)


def period_containing(template: ExamTemplate, moment: datetime) -> str | None:
    """The key of the period of a recurring template that `moment` (an exam's opening) falls in:
    the ISO week or the month of its local day. None for a template that does not recur."""
    day = clock.local(moment).date()
    if template.recurrence == Recurrence.WEEKLY:
        return clock.week_key(day)
    if template.recurrence == Recurrence.MONTHLY:
        return clock.month_key(day)
    return None


def period_title(template: ExamTemplate, key: str) -> str:
    """'2026年第49周应知应会周测', '2026年11月应知应会月考': how the campaign names its tests."""
    from flask_babel import gettext

    if "-W" in key:
        year, week = key.split("-W")
        return gettext("Week %(week)s of %(year)s: %(title)s", year=year, week=int(week), title=template.title)
    year, month = key.split("-")
    return gettext("%(month)s/%(year)s: %(title)s", year=year, month=int(month), title=template.title)

"""The board's period: a run of whole ISO weeks, read from ?from=&to= (any days inside them)."""

from datetime import date, timedelta

from flask_babel import lazy_gettext as _l

from core import clock
from core.errors import ValidationFailed
from core.inputs import parse_day

MAX_WEEKS = 106


def _day(value, name) -> date:
    day = parse_day(value)
    if day is None:
        raise ValidationFailed(_l("%(name)s must be a date like 2026-11-23.", name=name), field=name)
    return day


def period_from(args, today: date) -> tuple[date, date]:
    """(first Monday, last Monday). Default: last week, the one a Monday meeting looks at."""
    last_week = clock.week_start(today) - timedelta(days=7)
    first = clock.week_start(_day(args["from"], "from")) if args.get("from") else last_week
    last = clock.week_start(_day(args["to"], "to")) if args.get("to") else max(first, last_week)
    if last < first:
        raise ValidationFailed(_l("The end of the period is before its start."), field="to")
    if (last - first).days // 7 + 1 > MAX_WEEKS:
        raise ValidationFailed(_l("A period can cover at most %(weeks)d weeks.", weeks=MAX_WEEKS), field="from")
    return first, last


def presets(today: date) -> list[tuple[object, date, date]]:
    """Quick choices: (label, first day, last day), each a run of whole weeks from a Monday to a
    Sunday, so the period's fields show the days it covers (上周 of 11-23 is 11-16 to 11-22)."""
    this_week = clock.week_start(today)
    last_week = this_week - timedelta(days=7)
    sunday = timedelta(days=6)
    return [
        (_l("Last week"), last_week, last_week + sunday),
        (_l("This week"), this_week, this_week + sunday),
        (_l("Last 4 weeks"), last_week - timedelta(weeks=3), last_week + sunday),
        (_l("Last 13 weeks"), last_week - timedelta(weeks=12), last_week + sunday),
        (_l("Last 52 weeks"), last_week - timedelta(weeks=51), last_week + sunday),
    ]

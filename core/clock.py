"""The one place the current time is read, and the deployment's calendar (zone, weeks, months).

Everything stored is aware UTC; everything shown or keyed by period is in the deployment zone
(YINGZHI_TIMEZONE, default Asia/Shanghai).
"""

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from flask import current_app, has_app_context

DEFAULT_ZONE = "Asia/Shanghai"
_frozen: datetime | None = None


def now() -> datetime:
    """Current time as aware UTC (or the frozen time set by tests)."""
    if _frozen is not None:
        return _frozen
    return datetime.now(UTC)


def freeze(at: datetime | None) -> None:
    """Freeze now() at `at` (aware); None unfreezes. For tests and `run-due-jobs --at` only."""
    global _frozen
    if at is not None and at.tzinfo is None:
        raise ValueError("freeze() needs an aware datetime")
    _frozen = at.astimezone(UTC) if at is not None else None


def zone() -> ZoneInfo:
    name = current_app.config.get("YINGZHI_TIMEZONE", DEFAULT_ZONE) if has_app_context() else DEFAULT_ZONE
    return ZoneInfo(name)


def local(dt: datetime) -> datetime:
    """An aware datetime converted to the deployment zone."""
    return dt.astimezone(zone())


def today() -> date:
    """Today's date in the deployment zone."""
    return local(now()).date()


def local_datetime(day: date, at: time) -> datetime:
    """The aware UTC instant of a wall-clock time on a day in the deployment zone."""
    return datetime.combine(day, at, tzinfo=zone()).astimezone(UTC)


def day_bounds(day: date) -> tuple[datetime, datetime]:
    """UTC [start, end) of a local calendar day."""
    start = local_datetime(day, time(0, 0))
    return start, local_datetime(day + timedelta(days=1), time(0, 0))


def parse_local(value: str) -> datetime:
    """Parse ISO-8601; a value without an offset is read as deployment-zone wall time."""
    dt = datetime.fromisoformat(value)
    if dt.tzinfo is None:
        dt = dt.replace(tzinfo=zone())
    return dt.astimezone(UTC)


def week_key(day: date) -> str:
    """ISO week key such as '2026-W48'."""
    year, week, _ = day.isocalendar()
    return f"{year}-W{week:02d}"


def month_key(day: date) -> str:
    return f"{day.year}-{day.month:02d}"


def week_start(day: date) -> date:
    """The Monday of the ISO week containing `day`."""
    return day - timedelta(days=day.weekday())


def week_bounds(key: str) -> tuple[date, date]:
    """First and last local day (Monday..Sunday) of an ISO week key."""
    year, week = key.split("-W")
    monday = date.fromisocalendar(int(year), int(week), 1)
    return monday, monday + timedelta(days=6)

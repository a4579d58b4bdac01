"""Jinja filters for times, dates and shares, shown in the deployment zone."""

from core import clock


def localtime(value, fmt="%Y-%m-%d %H:%M"):
    return clock.local(value).strftime(fmt) if value else ""


def localdate(value, fmt="%Y-%m-%d"):
    return clock.local(value).strftime(fmt) if value else ""


def percent(value, digits=1):
    """0.8567 -> '85.7%'; None -> '—'."""
    if value is None:
        return "—"
    return f"{value * 100:.{digits}f}%"


FILTERS = {"localtime": localtime, "localdate": localdate, "percent": percent}

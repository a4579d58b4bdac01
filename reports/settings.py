"""Thresholds of the board's colour cues (targets in percent; a figure within WARN_BAND points
below its target is amber, further below red). Defaults in config.py."""

from flask_babel import lazy_gettext as _l

from core.settings import SettingSpec, get_setting

WARN_BAND = 10

SETTING_SPECS = (
    SettingSpec(
        "REPORTS_PARTICIPATION_TARGET", _l("Board: participation target, percent"), int, minimum=0, maximum=100
    ),
    SettingSpec("REPORTS_PASS_RATE_TARGET", _l("Board: pass rate target, percent"), int, minimum=0, maximum=100),
    SettingSpec(
        "REPORTS_CHECKIN_TARGET", _l("Board: study check-in rate target, percent"), int, minimum=0, maximum=100
    ),
    SettingSpec(
        "REPORTS_ATTENDANCE_TARGET", _l("Board: session attendance target, percent"), int, minimum=0, maximum=100
    ),
    SettingSpec(
        "REPORTS_BULLETIN_NAMES_PEOPLE",
        _l("Weekly bulletins name the people who failed or were absent"),
        bool,
        help=_l("Off: bulletins give only the units and their counts."),
    ),
)


def targets() -> dict:
    """{'participation': 0.95, ...} as shares."""
    return {
        "participation": int(get_setting("REPORTS_PARTICIPATION_TARGET")) / 100,
        "pass_rate": int(get_setting("REPORTS_PASS_RATE_TARGET")) / 100,
        "checkin_rate": int(get_setting("REPORTS_CHECKIN_TARGET")) / 100,
        "attendance_rate": int(get_setting("REPORTS_ATTENDANCE_TARGET")) / 100,
    }


def cue(value, target) -> str:
    """'good', 'warn' or 'bad' for a share against its target; '' when there is no figure."""
    if value is None:
        return ""
    if value >= target:
        return "good"
    return "warn" if value >= target - WARN_BAND / 100 else "bad"


def bulletin_names_people() -> bool:
    return bool(get_setting("REPORTS_BULLETIN_NAMES_PEOPLE"))

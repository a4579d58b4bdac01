"""Settings of the study feature that admins may change at run time (defaults in config.py)."""

from flask_babel import lazy_gettext as _l

from core.settings import SettingSpec, get_setting

SETTING_SPECS = (
    SettingSpec(
        "STUDY_DAILY_TARGET_MINUTES",
        _l("Daily study target (minutes)"),
        int,
        minimum=10,
        maximum=600,
    ),
    SettingSpec(
        "STUDY_NOTES_MIN_LENGTH",
        _l("Shortest study notes accepted at check-in (characters)"),
        int,
        minimum=0,
        maximum=2000,
    ),
    SettingSpec(
        "STUDY_BACKFILL_DAYS",
        _l("How many days back a missed check-in may be filled in"),
        int,
        minimum=0,
        maximum=31,
        help=_l("A check-in filled in for an earlier day is marked late."),
    ),
    SettingSpec(
        "STUDY_SIGNIN_CODE_SECONDS",
        _l("Sign-in code changes every (seconds)"),
        int,
        minimum=10,
        maximum=300,
    ),
    SettingSpec(
        "STUDY_SIGNIN_OPENS_MINUTES",
        _l("Session sign-in opens before the start (minutes)"),
        int,
        minimum=0,
        maximum=240,
    ),
    SettingSpec(
        "STUDY_SIGNIN_CLOSES_MINUTES",
        _l("Session sign-in closes after the start (minutes)"),
        int,
        minimum=1,
        maximum=600,
    ),
    SettingSpec(
        "STUDY_LATE_GRACE_MINUTES",
        _l("Signing in later than this after the start counts as late (minutes)"),
        int,
        minimum=0,
        maximum=120,
    ),
    SettingSpec(
        "STUDY_WARNING_ABSENCES_IN_A_ROW",
        _l("Warn an officer absent from this many sessions in a row"),
        int,
        minimum=1,
        maximum=20,
    ),
    SettingSpec(
        "STUDY_MAKEUP_MINUTES",
        _l("Make-up study after a failed test: at least this many study minutes (0: none)"),
        int,
        minimum=0,
        maximum=1440,
    ),
    SettingSpec(
        "STUDY_WARNING_WEEK_PERCENT",
        _l("Warn an officer whose week of study is below this share of the target (%)"),
        int,
        minimum=1,
        maximum=100,
    ),
)


def setting(key: str) -> int:
    """One of the study settings above, as an int."""
    return int(get_setting(key))

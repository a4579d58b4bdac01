"""Settings of taking a test that admins may change at run time (defaults in config.py)."""

from flask_babel import lazy_gettext as _l

from core.settings import SettingSpec, get_setting

SETTING_SPECS = (
    SettingSpec(
        "QUIZ_SAVE_GRACE_SECONDS",
        _l("Answers arriving this long after a test's deadline are still kept (seconds)"),
        int,
        minimum=0,
        maximum=600,
        help=_l("Covers a slow phone network at the last moment; later answers are refused."),
    ),
    SettingSpec(
        "QUIZ_LEAVE_TOLERANCE_SECONDS",
        _l("Leaving the test page for less than this is not counted (seconds)"),
        int,
        minimum=0,
        maximum=600,
    ),
    SettingSpec(
        "QUIZ_RETAKE_REQUIRES_MAKEUP",
        _l("A retake can be started only after the make-up study is done"),
        bool,
        help=_l("Make-up study: the wrong answers of the failed test and the readings of its weak categories."),
    ),
    SettingSpec(
        "QUIZ_CATCH_UP_MIN_HOURS",
        _l("A test found late by the scheduler is published only if this much of its window is left (hours)"),
        int,
        minimum=1,
        maximum=168,
        help=_l("Otherwise it waits on the jobs page for an administrator to publish it with a new window."),
    ),
)


def setting(key: str) -> int:
    """One of the test settings above, as an int (a switch: 0 or 1)."""
    return int(get_setting(key))

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
)


def setting(key: str) -> int:
    """One of the test settings above, as an int."""
    return int(get_setting(key))

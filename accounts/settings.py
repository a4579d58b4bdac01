"""Settings of the accounts feature that admins may change at run time."""

from flask_babel import lazy_gettext as _l

from core.settings import SettingSpec

SETTING_SPECS = (
    SettingSpec(
        "PEOPLE_IMPORT_MAX_ROWS",
        _l("Most rows in one people import file"),
        int,
        minimum=10,
        maximum=100000,
    ),
    SettingSpec(
        "REMEMBER_DEVICE_DAYS",
        _l("Days a remembered phone stays signed in"),
        int,
        minimum=1,
        maximum=365,
        help=_l("Applies to phones remembered from now on; those remembered before keep their date."),
    ),
)

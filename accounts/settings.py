"""Settings of the accounts feature that admins may change at run time."""

from flask_babel import lazy_gettext as _l

from core.settings import SettingSpec

SETTING_SPECS = (
    SettingSpec(
        "PEOPLE_IMPORT_MAX_ROWS",
        _l("Most rows in one people import file"),
        int,
        minimum=10,
        # An import is one request: at the slowest write rate measured on a shared 2-core box
        # (bench/people_import.py, about 300 rows/s with six open tests each newcomer joins),
        # 6,000 rows end within 80 % of the web worker's 30 s timeout.
        maximum=6000,
        help=_l("A larger roster is imported in several files."),
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

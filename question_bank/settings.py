"""Settings of the question bank that admins may change at run time (defaults in config.py)."""

from flask_babel import lazy_gettext as _l

from core.settings import SettingSpec

SETTING_SPECS = (
    SettingSpec(
        "BANK_SUPERVISORS_MAY_EDIT",
        _l("Supervisors may edit the question bank"),
        bool,
        help=_l("Off: only administrators manage questions, categories, imports and exports."),
    ),
    SettingSpec(
        "BANK_IMPORT_MAX_ROWS",
        _l("Most rows in one question import file"),
        int,
        minimum=10,
        # One request: at 500 rows/s, the slowest write rate measured (bench/bank_import.py), 10,000
        # rows end within the web worker's 30 s timeout.
        maximum=10000,
        help=_l("A larger bank is imported in several files."),
    ),
    SettingSpec(
        "BANK_IMPORT_MAX_MB",
        _l("Largest question import file (MB)"),
        int,
        minimum=1,
        maximum=100,
        help=_l("Uploads through the web are also limited by the server's upload limit."),
    ),
)

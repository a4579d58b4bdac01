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
        maximum=100000,
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

"""What admins set for the year-end appraisal (年终绩效): the weight of each figure in the score,
the pass line, and the lagging rules (学习滞后/不合格), each a threshold where 0 turns it off.
Defaults in config.py; edited on the settings page like every SettingSpec."""

from flask_babel import lazy_gettext as _l

from core.settings import SettingSpec, get_setting

# (key, the rate it weighs): appraisal.sheet scores each row from these rates.
WEIGHTS = (
    ("APPRAISAL_WEIGHT_PASS", "pass_rate_after", _l("Appraisal weight: pass rate after retake")),
    ("APPRAISAL_WEIGHT_FIRST_PASS", "pass_rate_first", _l("Appraisal weight: pass rate first time")),
    ("APPRAISAL_WEIGHT_PARTICIPATION", "participation", _l("Appraisal weight: test participation")),
    ("APPRAISAL_WEIGHT_STUDY", "study_rate", _l("Appraisal weight: study minutes against the daily target")),
    ("APPRAISAL_WEIGHT_ATTENDANCE", "attendance_rate", _l("Appraisal weight: session attendance")),
    ("APPRAISAL_WEIGHT_READINGS", "readings_rate", _l("Appraisal weight: required readings done")),
    ("APPRAISAL_WEIGHT_SPOT_CHECKS", "spot_check_rate", _l("Appraisal weight: notes qualified at spot-checks")),
)

SETTING_SPECS = (
    *(
        SettingSpec(key, label, int, minimum=0, maximum=100, help=_l("0 leaves the figure out of the score."))
        for key, _rate, label in WEIGHTS
    ),
    SettingSpec("APPRAISAL_PASS_LINE", _l("Appraisal: pass line of the score (0–100)"), int, minimum=0, maximum=100),
    SettingSpec(
        "APPRAISAL_LAG_BELOW_PASS_LINE",
        _l("Appraisal rule: a score below the pass line is marked as failed"),
        bool,
    ),
    SettingSpec(
        "APPRAISAL_LAG_OUTSTANDING",
        _l("Appraisal rule: an officer with at least this many tests not yet passed is lagging"),
        int,
        minimum=0,
        maximum=100,
        help=_l("0 turns the rule off."),
    ),
    SettingSpec(
        "APPRAISAL_LAG_STUDY_PERCENT",
        _l("Appraisal rule: an officer who studied less than this percent of the daily target is lagging"),
        int,
        minimum=0,
        maximum=100,
        help=_l("0 turns the rule off."),
    ),
    SettingSpec(
        "APPRAISAL_LAG_SESSION_ABSENCES",
        _l("Appraisal rule: an officer absent without leave from at least this many sessions is lagging"),
        int,
        minimum=0,
        maximum=100,
        help=_l("0 turns the rule off."),
    ),
    SettingSpec(
        "APPRAISAL_LAG_UNIT_PASS_RATE",
        _l("Appraisal rule: a unit whose pass rate after retake is below this percent is lagging"),
        int,
        minimum=0,
        maximum=100,
        help=_l("0 turns the rule off."),
    ),
    SettingSpec(
        "APPRAISAL_LAG_UNIT_LAGGING_SHARE",
        _l("Appraisal rule: a unit with at least this percent of its officers lagging is lagging"),
        int,
        minimum=0,
        maximum=100,
        help=_l("0 turns the rule off."),
    ),
)


def weights() -> dict:
    """{rate name: weight} of the figures that count (weight above 0)."""
    out = {}
    for key, rate, _label in WEIGHTS:
        weight = int(get_setting(key))
        if weight > 0:
            out[rate] = weight
    return out


def rules() -> dict:
    """The pass line and the thresholds of the lagging rules (0 or False: off)."""
    return {
        "pass_line": int(get_setting("APPRAISAL_PASS_LINE")),
        "below_pass_line": bool(get_setting("APPRAISAL_LAG_BELOW_PASS_LINE")),
        "outstanding": int(get_setting("APPRAISAL_LAG_OUTSTANDING")),
        "study_percent": int(get_setting("APPRAISAL_LAG_STUDY_PERCENT")),
        "session_absences": int(get_setting("APPRAISAL_LAG_SESSION_ABSENCES")),
        "unit_pass_rate": int(get_setting("APPRAISAL_LAG_UNIT_PASS_RATE")),
        "unit_lagging_share": int(get_setting("APPRAISAL_LAG_UNIT_LAGGING_SHARE")),
    }

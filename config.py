"""Configuration classes. Each reads the environment once, when it is instantiated by create_app."""

import os
from datetime import timedelta


def _env(name, default=None):
    value = os.environ.get(name)
    return default if value in (None, "") else value


def _env_bool(name, default=False):
    value = os.environ.get(name)
    if value in (None, ""):
        return default
    return value.strip().lower() in ("1", "true", "yes", "on")


def _env_int(name, default):
    value = os.environ.get(name)
    return default if value in (None, "") else int(value)


def normalise_database_url(url):
    """postgres:// and postgresql:// use psycopg 3, the driver we install."""
    if url and url.startswith(("postgres://", "postgresql://")):
        return "postgresql+psycopg://" + url.split("://", 1)[1]
    return url


def background_engine_options(options: dict, url) -> dict:
    """A server started at a lower CPU priority (YINGZHI_NICE > 0: the report servers) also keeps
    PostgreSQL from fanning its queries out to parallel workers: on a box shared with the app
    servers, one board's query would otherwise run in three database processes at normal
    priority, beside the officers' saves (BENCHMARKS.md S9)."""
    if _env_int("YINGZHI_NICE", 0) > 0 and url and url.startswith("postgresql"):
        return {**options, "connect_args": {"options": "-c max_parallel_workers_per_gather=0"}}
    return options


class Config:
    """Defaults for every deployment; environment variables override them."""

    NAME = "base"

    def __init__(self):
        self.YINGZHI_ENV = self.NAME
        # Core
        self.SECRET_KEY = _env("SECRET_KEY")
        # None means "SQLite file in the instance folder", resolved by create_app.
        self.SQLALCHEMY_DATABASE_URI = normalise_database_url(_env("DATABASE_URL"))
        self.SQLALCHEMY_ENGINE_OPTIONS = background_engine_options(
            {"pool_pre_ping": True}, self.SQLALCHEMY_DATABASE_URI
        )
        self.YINGZHI_TIMEZONE = _env("YINGZHI_TIMEZONE", "Asia/Shanghai")
        self.YINGZHI_DEMO = _env_bool("YINGZHI_DEMO", False)
        self.MAX_CONTENT_LENGTH = _env_int("YINGZHI_MAX_UPLOAD_MB", 10) * 1024 * 1024
        # Static URLs carry a content hash (core.assets), so browsers may keep the files a year.
        self.SEND_FILE_MAX_AGE_DEFAULT = 31536000

        # Language: Chinese by default, English selectable.
        self.BABEL_DEFAULT_LOCALE = "zh_CN"
        self.BABEL_DEFAULT_TIMEZONE = self.YINGZHI_TIMEZONE
        self.YINGZHI_LANGUAGES = {"zh_CN": "中文", "en": "English"}

        # Sessions: signed cookies plus a revocable login-session row.
        self.SESSION_COOKIE_NAME = "yingzhi_session"
        self.SESSION_COOKIE_HTTPONLY = True
        self.SESSION_COOKIE_SAMESITE = "Lax"
        self.SESSION_COOKIE_SECURE = _env_bool("YINGZHI_SECURE_COOKIES", False)
        self.PERMANENT_SESSION_LIFETIME = timedelta(hours=_env_int("YINGZHI_SESSION_HOURS", 12))
        self.YINGZHI_SESSION_IDLE_MINUTES = _env_int("YINGZHI_SESSION_IDLE_MINUTES", 120)
        # Send the session cookie only when the session changed (sign-in, the once-a-minute "seen"
        # stamp of accounts.access), not re-signed on every response: the absolute and idle limits
        # are checked from the session's own stamps, not from the cookie's expiry. Measured on an
        # autosave (S1 of bench/load.py), in process: CPU 3.1 -> 2.3 ms a request (best of 5 x 500).
        self.SESSION_REFRESH_EACH_REQUEST = False
        self.REMEMBER_COOKIE_DURATION = timedelta(seconds=0)
        # 记住这台手机: how long a remembered device signs its holder in again without a password
        # (accounts.devices; Flask-Login's own remember cookie is not used: it cannot be revoked).
        self.REMEMBER_DEVICE_DAYS = _env_int("YINGZHI_REMEMBER_DEVICE_DAYS", 90)

        # CSRF tokens live as long as the session: an exam page open for an hour must still submit.
        self.WTF_CSRF_TIME_LIMIT = None
        self.WTF_CSRF_SSL_STRICT = True

        # Security headers
        self.YINGZHI_FORCE_HTTPS = _env_bool("YINGZHI_FORCE_HTTPS", False)
        self.YINGZHI_PROXY_COUNT = _env_int("YINGZHI_PROXY_COUNT", 0)

        # Passwords and sign-in throttling
        self.PASSWORD_HASH_METHOD = "scrypt"
        self.PASSWORD_MIN_LENGTH = 8
        self.RATELIMIT_STORAGE_URI = _env("RATELIMIT_STORAGE_URI", "memory://")
        self.RATELIMIT_HEADERS_ENABLED = False
        self.RATELIMIT_STRATEGY = "fixed-window"
        # Keys in the shared store start with this, so several deployments (or test runs) can share one Redis.
        self.RATELIMIT_KEY_PREFIX = _env("YINGZHI_RATELIMIT_KEY_PREFIX", "yingzhi")
        # Failed sign-ins per account: slowed after 5 in a minute, locked after 10 in 15 minutes.
        self.LOGIN_ACCOUNT_LIMITS = _env("YINGZHI_LOGIN_ACCOUNT_LIMITS", "5 per minute;10 per 15 minutes")
        # Failed sign-ins per address: generous, since a whole station may share one NAT address.
        self.LOGIN_ADDRESS_LIMITS = _env("YINGZHI_LOGIN_ADDRESS_LIMITS", "60 per minute;300 per hour")

        # Campaign defaults (admins can override some of these on the settings page)
        self.STUDY_DAILY_TARGET_MINUTES = _env_int("YINGZHI_DAILY_STUDY_MINUTES", 120)
        self.QUIZ_PASS_MARK_PERCENT = _env_int("YINGZHI_PASS_MARK_PERCENT", 60)
        self.PEOPLE_IMPORT_MAX_ROWS = _env_int("YINGZHI_PEOPLE_IMPORT_MAX_ROWS", 5000)
        self.USERS_PER_PAGE = 50

        # Study: check-ins, sign-in codes, warnings (defaults; admins change them in study/settings.py)
        self.STUDY_NOTES_MIN_LENGTH = _env_int("YINGZHI_STUDY_NOTES_MIN_LENGTH", 20)
        self.STUDY_BACKFILL_DAYS = _env_int("YINGZHI_STUDY_BACKFILL_DAYS", 3)
        self.STUDY_SIGNIN_CODE_SECONDS = _env_int("YINGZHI_SIGNIN_CODE_SECONDS", 30)
        self.STUDY_SIGNIN_OPENS_MINUTES = _env_int("YINGZHI_SIGNIN_OPENS_MINUTES", 30)
        self.STUDY_SIGNIN_CLOSES_MINUTES = _env_int("YINGZHI_SIGNIN_CLOSES_MINUTES", 60)
        self.STUDY_LATE_GRACE_MINUTES = _env_int("YINGZHI_LATE_GRACE_MINUTES", 5)
        self.STUDY_WARNING_ABSENCES_IN_A_ROW = _env_int("YINGZHI_WARNING_ABSENCES_IN_A_ROW", 2)
        self.STUDY_WARNING_WEEK_PERCENT = _env_int("YINGZHI_WARNING_WEEK_PERCENT", 50)
        self.STUDY_MAKEUP_MINUTES = _env_int("YINGZHI_STUDY_MAKEUP_MINUTES", 0)
        # Tests: the network grace after an attempt's deadline during which saves are still kept,
        # and how long the page may be hidden before it counts as leaving (admins change these)
        self.QUIZ_SAVE_GRACE_SECONDS = _env_int("YINGZHI_QUIZ_SAVE_GRACE_SECONDS", 30)
        self.QUIZ_LEAVE_TOLERANCE_SECONDS = _env_int("YINGZHI_QUIZ_LEAVE_TOLERANCE_SECONDS", 5)
        self.QUIZ_RETAKE_REQUIRES_MAKEUP = _env_bool("YINGZHI_QUIZ_RETAKE_REQUIRES_MAKEUP", True)
        self.QUIZ_CATCH_UP_MIN_HOURS = _env_int("YINGZHI_QUIZ_CATCH_UP_MIN_HOURS", 24)
        # Papers drawn ahead per run of the prepare_papers job (every minute): small, so the write
        # lock a run holds on SQLite never keeps autosaves waiting long.
        self.QUIZ_PREPARE_BATCH = _env_int("YINGZHI_QUIZ_PREPARE_BATCH", 200)
        # Reports: the board's colour-cue targets in percent (admins change them in reports/settings.py)
        self.REPORTS_PARTICIPATION_TARGET = _env_int("YINGZHI_REPORTS_PARTICIPATION_TARGET", 95)
        self.REPORTS_PASS_RATE_TARGET = _env_int("YINGZHI_REPORTS_PASS_RATE_TARGET", 90)
        self.REPORTS_CHECKIN_TARGET = _env_int("YINGZHI_REPORTS_CHECKIN_TARGET", 80)
        self.REPORTS_ATTENDANCE_TARGET = _env_int("YINGZHI_REPORTS_ATTENDANCE_TARGET", 90)
        self.REPORTS_BULLETIN_NAMES_PEOPLE = _env_bool("YINGZHI_REPORTS_BULLETIN_NAMES_PEOPLE", True)
        # Year-end appraisal (年终绩效): the weights of its score, the pass line and the lagging
        # rules (admins change them in appraisal/settings.py; a rule at 0 is off)
        self.APPRAISAL_WEIGHT_PASS = _env_int("YINGZHI_APPRAISAL_WEIGHT_PASS", 30)
        self.APPRAISAL_WEIGHT_FIRST_PASS = _env_int("YINGZHI_APPRAISAL_WEIGHT_FIRST_PASS", 10)
        self.APPRAISAL_WEIGHT_PARTICIPATION = _env_int("YINGZHI_APPRAISAL_WEIGHT_PARTICIPATION", 10)
        self.APPRAISAL_WEIGHT_STUDY = _env_int("YINGZHI_APPRAISAL_WEIGHT_STUDY", 25)
        self.APPRAISAL_WEIGHT_ATTENDANCE = _env_int("YINGZHI_APPRAISAL_WEIGHT_ATTENDANCE", 15)
        self.APPRAISAL_WEIGHT_READINGS = _env_int("YINGZHI_APPRAISAL_WEIGHT_READINGS", 5)
        self.APPRAISAL_WEIGHT_SPOT_CHECKS = _env_int("YINGZHI_APPRAISAL_WEIGHT_SPOT_CHECKS", 5)
        self.APPRAISAL_PASS_LINE = _env_int("YINGZHI_APPRAISAL_PASS_LINE", 60)
        self.APPRAISAL_LAG_BELOW_PASS_LINE = _env_bool("YINGZHI_APPRAISAL_LAG_BELOW_PASS_LINE", True)
        self.APPRAISAL_LAG_OUTSTANDING = _env_int("YINGZHI_APPRAISAL_LAG_OUTSTANDING", 1)
        self.APPRAISAL_LAG_STUDY_PERCENT = _env_int("YINGZHI_APPRAISAL_LAG_STUDY_PERCENT", 50)
        self.APPRAISAL_LAG_SESSION_ABSENCES = _env_int("YINGZHI_APPRAISAL_LAG_SESSION_ABSENCES", 3)
        self.APPRAISAL_LAG_UNIT_PASS_RATE = _env_int("YINGZHI_APPRAISAL_LAG_UNIT_PASS_RATE", 90)
        self.APPRAISAL_LAG_UNIT_LAGGING_SHARE = _env_int("YINGZHI_APPRAISAL_LAG_UNIT_LAGGING_SHARE", 10)
        # Each server keeps a board's sums this long (the summaries behind them are refreshed
        # every 5 minutes anyway); 0 computes them on every request.
        self.REPORTS_BOARD_CACHE_SECONDS = _env_int("YINGZHI_REPORTS_BOARD_CACHE_SECONDS", 60)
        # Question bank (admins can override these on the settings page)
        self.BANK_SUPERVISORS_MAY_EDIT = _env_bool("YINGZHI_BANK_SUPERVISORS_MAY_EDIT", False)
        self.BANK_IMPORT_MAX_ROWS = _env_int("YINGZHI_BANK_IMPORT_MAX_ROWS", 5000)
        self.BANK_IMPORT_MAX_MB = _env_int("YINGZHI_BANK_IMPORT_MAX_MB", 5)
        self.QUESTIONS_PER_PAGE = 50


class DevelopmentConfig(Config):
    """Local single machine: SQLite in the instance folder, a secret key kept there too."""

    NAME = "development"


class TestingConfig(Config):
    NAME = "testing"

    def __init__(self):
        super().__init__()
        self.TESTING = True
        self.SECRET_KEY = "testing-secret-key"
        # Fast hashing: the suite creates hundreds of users.
        self.PASSWORD_HASH_METHOD = "pbkdf2:sha256:1000"
        self.RATELIMIT_STORAGE_URI = "memory://"
        self.SERVER_NAME = None
        self.REPORTS_BOARD_CACHE_SECONDS = 0  # tests see every change at once; the cache has its own test


class ProductionConfig(Config):
    NAME = "production"

    def __init__(self):
        super().__init__()
        if not self.SECRET_KEY:
            raise RuntimeError("SECRET_KEY must be set in production")
        if not self.SQLALCHEMY_DATABASE_URI:
            raise RuntimeError("DATABASE_URL must be set in production")
        self.DEBUG = False
        self.SESSION_COOKIE_SECURE = _env_bool("YINGZHI_SECURE_COOKIES", True)
        self.PREFERRED_URL_SCHEME = "https" if self.SESSION_COOKIE_SECURE else "http"
        # Limits must be shared between app servers, or each one counts separately.
        self.RATELIMIT_STORAGE_URI = _env("RATELIMIT_STORAGE_URI", "redis://127.0.0.1:6379/0")
        self.SQLALCHEMY_ENGINE_OPTIONS = background_engine_options(
            {"pool_pre_ping": True, "pool_size": 5, "max_overflow": 5}, self.SQLALCHEMY_DATABASE_URI
        )


CONFIGS = {
    "development": DevelopmentConfig,
    "testing": TestingConfig,
    "production": ProductionConfig,
}


def load_config(name=None):
    """Instantiate the config class named by `name` or YINGZHI_CONFIG (default development)."""
    name = name or _env("YINGZHI_CONFIG", "development")
    try:
        return CONFIGS[name]()
    except KeyError:
        raise RuntimeError(f"unknown YINGZHI_CONFIG {name!r}; use one of {', '.join(CONFIGS)}") from None

"""The application factory: load config, initialise extensions, register blueprints, commands and
error handlers from the explicit lists below. No I/O, no scheduler, no migrations here."""

import os
import secrets
from collections.abc import Mapping

from flask import Flask

from accounts import (
    access,
    admin_views,
    audit_views,
    auth_views,
    device_views,
    import_views,
    people_views,
    unit_views,
)
from accounts import audit as account_audit
from accounts import cli as accounts_cli
from accounts import models as account_models
from accounts.settings import SETTING_SPECS as ACCOUNT_SETTINGS
from appraisal import models as appraisal_models
from appraisal import views as appraisal_views
from appraisal.settings import SETTING_SPECS as APPRAISAL_SETTINGS
from config import load_config
from core import assets, formatting, i18n, inputs, security, settings, uploads
from core import views as core_views
from core.db import configure_engine
from core.errors import register_error_handlers
from core.extensions import babel, csrf, db, limiter, migrate
from demo import cli as demo_cli
from home import views as home_views
from notices import models as notice_models
from notices import views as notice_views
from question_bank import category_views as bank_category_views
from question_bank import cli as bank_cli
from question_bank import export_views as bank_export_views
from question_bank import import_views as bank_import_views
from question_bank import models as bank_models
from question_bank import views as bank_views
from question_bank.settings import SETTING_SPECS as BANK_SETTINGS
from quiz import api as quiz_api
from quiz import cli as quiz_cli
from quiz import manage_views as quiz_manage_views
from quiz import missed_models as quiz_missed_models
from quiz import models as quiz_models
from quiz import prepared_models as quiz_prepared_models
from quiz import publishing as quiz_publishing
from quiz import status as quiz_status
from quiz import take_views as quiz_take_views
from quiz.settings import SETTING_SPECS as QUIZ_SETTINGS
from reports import api as reports_api
from reports import models as report_models
from reports import summaries as report_summaries
from reports import views as reports_views
from reports.settings import SETTING_SPECS as REPORT_SETTINGS
from scheduler import cli as scheduler_cli
from scheduler import models as scheduler_models
from scheduler import views as scheduler_views
from study import api as study_api
from study import cli as study_cli
from study import export_views as study_export_views
from study import makeup, makeup_models, practice, practice_models
from study import manage_views as study_manage_views
from study import models as study_models
from study import practice_views as study_practice_views
from study import views as study_views
from study.settings import SETTING_SPECS as STUDY_SETTINGS

# Every module that declares tables, so the schema and the migrations know them all.
MODEL_MODULES = (
    settings,
    uploads,
    account_models,
    account_audit,
    notice_models,
    bank_models,
    study_models,
    quiz_models,
    quiz_missed_models,
    quiz_prepared_models,
    practice_models,
    makeup_models,
    scheduler_models,
    report_models,
    appraisal_models,
)

BLUEPRINTS = (
    core_views.bp,
    auth_views.bp,
    device_views.bp,
    home_views.bp,
    notice_views.bp,
    unit_views.bp,
    people_views.bp,
    import_views.bp,
    admin_views.bp,
    audit_views.bp,
    scheduler_views.bp,
    study_views.bp,
    study_manage_views.bp,
    study_export_views.bp,
    study_api.bp,
    study_practice_views.bp,
    quiz_manage_views.bp,
    bank_views.bp,
    bank_category_views.bp,
    bank_import_views.bp,
    bank_export_views.bp,
    quiz_api.bp,
    quiz_take_views.bp,
    reports_views.bp,
    reports_api.bp,
    appraisal_views.bp,
)

COMMANDS = (
    *accounts_cli.COMMANDS,
    *demo_cli.COMMANDS,
    *scheduler_cli.COMMANDS,
    *study_cli.COMMANDS,
    *bank_cli.COMMANDS,
    *quiz_cli.COMMANDS,
)

# What higher features do when a lower one announces a change (core.events), in this order.
EVENT_HANDLERS = {
    "exam_results_changed": (report_summaries.on_exam_results_changed,),
    "assignments_closed": (makeup.assign_makeups,),
    "exam_closed_for_everyone": (practice.book_wrong_answers,),
    "study_days_changed": (report_summaries.on_study_days_changed, makeup.on_study_days_changed),
    "people_changed": (
        quiz_publishing.withdraw_departed,
        quiz_publishing.join_arrivals,
        report_summaries.on_people_changed,
    ),
}

SETTING_SPECS = (
    *ACCOUNT_SETTINGS,
    *BANK_SETTINGS,
    *STUDY_SETTINGS,
    *QUIZ_SETTINGS,
    *REPORT_SETTINGS,
    *APPRAISAL_SETTINGS,
)


def create_app(config=None):
    """Build the app. `config`: a config object, a mapping of overrides (applied on top of the
    config named by YINGZHI_CONFIG, or TestingConfig when the mapping sets TESTING), or None."""
    app = Flask(__name__, instance_relative_config=True)
    if config is None or isinstance(config, Mapping):
        overrides = dict(config or {})
        app.config.from_object(load_config("testing" if overrides.get("TESTING") else None))
        app.config.update(overrides)
    else:
        app.config.from_object(config)
    _fill_instance_defaults(app)
    app.config["YINGZHI_SETTING_SPECS"] = SETTING_SPECS
    app.config["YINGZHI_EVENT_HANDLERS"] = EVENT_HANDLERS
    app.config["YINGZHI_ATTEMPT_IN_PROGRESS"] = quiz_status.attempt_in_progress  # for core.closed_book

    inputs.init_inputs(app)  # the id converter, before any route is added
    db.init_app(app)
    migrate.init_app(app, db, render_as_batch=True, compare_type=True)
    csrf.init_app(app)
    limiter.init_app(app)
    babel.init_app(app, locale_selector=i18n.select_locale, timezone_selector=i18n.select_timezone)
    access.init_login(app)
    security.init_security(app)
    assets.init_assets(app)
    app.jinja_env.filters.update(formatting.FILTERS)
    app.context_processor(i18n.template_context)
    with app.app_context():
        configure_engine(db.engine)

    for blueprint in BLUEPRINTS:
        app.register_blueprint(blueprint)
    for command in COMMANDS:
        app.cli.add_command(command)
    register_error_handlers(app)
    access.register_access_handlers(app)
    return app


def _fill_instance_defaults(app):
    """Single-machine defaults: the SQLite file and a generated secret key in the instance folder."""
    if app.config.get("SQLALCHEMY_DATABASE_URI") and app.config.get("SECRET_KEY"):
        return
    os.makedirs(app.instance_path, exist_ok=True)
    if not app.config.get("SQLALCHEMY_DATABASE_URI"):
        app.config["SQLALCHEMY_DATABASE_URI"] = "sqlite:///" + os.path.join(app.instance_path, "yingzhi.db")
    if not app.config.get("SECRET_KEY"):
        key_file = os.path.join(app.instance_path, "secret_key")
        if not os.path.exists(key_file):
            with open(key_file, "w") as fh:
                fh.write(secrets.token_hex(32))
            os.chmod(key_file, 0o600)
        with open(key_file) as fh:
            app.config["SECRET_KEY"] = fh.read().strip()

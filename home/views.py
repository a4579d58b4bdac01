"""Home pages: the officer's 我的学习 and the supervisor's workbench. Later features add panels."""

import sqlalchemy as sa
from flask import Blueprint, render_template
from flask_login import current_user

from accounts.access import signed_in
from accounts.models import User
from accounts.scope import people_visible_to, units_visible_to
from core import clock
from core.extensions import db
from home.nav import nav_context
from notices import services as notices
from quiz import overview as quiz_overview
from quiz import panels as quiz_panels
from reports import panels as report_panels
from study import panels as study_panels

bp = Blueprint("home", __name__)
bp.app_context_processor(nav_context)


@bp.get("/")
@signed_in
def index():
    latest = db.session.scalars(notices.notices_for(current_user.id).limit(5)).all()
    if not current_user.is_supervisor:
        now = clock.now()
        panels = [
            study_panels.retake_panel(current_user, now),
            quiz_panels.officer_panel(current_user, now),
            study_panels.officer_panel(current_user, now),
        ]
        panels = [panel for panel in panels if panel is not None]
        return render_template("home/officer.html", latest=latest, render_title=notices.render_title, panels=panels)
    people = people_visible_to(current_user).where(User.active).subquery()
    stats = {
        "units": db.session.scalar(sa.select(sa.func.count()).select_from(units_visible_to(current_user).subquery())),
        "people": db.session.scalar(sa.select(sa.func.count()).select_from(people)),
    }
    panels = [
        {"template": "quiz/manage/_home_panel.html", "quiz": quiz_overview.workbench(current_user, clock.now())},
        study_panels.manager_panel(current_user, clock.now()),
        report_panels.manager_panel(current_user, clock.now()),
    ]
    return render_template(
        "home/manager.html", latest=latest, stats=stats, render_title=notices.render_title, panels=panels
    )

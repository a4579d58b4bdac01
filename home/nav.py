"""The navigation per role: endpoint names, labels, icons.

An entry appears only once its endpoint exists, so each feature's links light up when its
blueprint is registered. Officers get the first entries as a bottom tab bar on phones.
"""

from flask import current_app, request, url_for
from flask_babel import lazy_gettext as _l
from flask_babel import lazy_pgettext
from flask_login import current_user

from accounts.models import Role

OFFICER, SUPERVISOR, ADMIN = Role.OFFICER, Role.SUPERVISOR, Role.ADMIN
MANAGERS = (SUPERVISOR, ADMIN)

# (endpoint, label, icon, roles, tab): `tab` marks the officer's bottom-bar entries.
NAV_ITEMS = (
    ("home.index", _l("My study"), "home", (OFFICER,), True),
    ("home.index", _l("Workbench"), "home", MANAGERS, False),
    ("quiz.my_exams", _l("Tests"), "exam", (OFFICER,), True),
    ("study.checkin", _l("Check-in"), "check", (OFFICER,), True),
    ("study.readings", _l("Readings"), "book", (OFFICER,), False),
    ("study.sessions", _l("Study sessions"), "people", (OFFICER,), False),
    ("practice.index", _l("Practice"), "target", (OFFICER,), True),
    ("practice.daily", _l("Daily practice"), "check", (OFFICER,), False),
    ("practice.wrong_book", _l("Wrong-answer book"), "book", (OFFICER,), False),
    ("reports.my_record", _l("My record"), "file", (OFFICER,), False),
    ("quiz_manage.exams", _l("Test management"), "exam", MANAGERS, False),
    ("quiz_manage.templates", _l("Test templates"), "file", MANAGERS, False),
    ("study_manage.sessions", _l("Sessions and attendance"), "people", MANAGERS, False),
    ("study_manage.checkins", _l("Study check-ins"), "check", MANAGERS, False),
    ("study_manage.readings", _l("Required readings"), "book", MANAGERS, False),
    ("study_manage.spotchecks", _l("Notes spot-checks"), "search", MANAGERS, False),
    ("reports.board", _l("Progress board"), "chart", MANAGERS, False),
    ("reports.bulletins", _l("Bulletins"), "megaphone", MANAGERS, False),
    ("appraisal.sheet", _l("Year-end appraisal"), "target", MANAGERS, False),
    ("appraisal.inspection_list", _l("Inspections"), "shield", MANAGERS, False),
    ("bank.index", _l("Question bank"), "database", MANAGERS, False),
    ("people.index", lazy_pgettext("menu", "People"), "user", MANAGERS, False),
    ("units.index", _l("Units"), "tree", MANAGERS, False),
    ("jobs.index", _l("Scheduled jobs"), "clock", (ADMIN,), False),
    ("admin.settings", _l("Settings"), "gear", (ADMIN,), False),
    ("audit.log", _l("Audit log"), "shield", (ADMIN,), False),
)


def nav_context():
    """Template context: the signed-in user's navigation entries (and which one is current)."""
    if not current_user.is_authenticated:
        return {}
    functions = current_app.view_functions
    blueprint = request.blueprint
    visible = [item for item in NAV_ITEMS if current_user.role in item[3] and item[0] in functions]
    # A blueprint with several entries (study: check-in, readings, sessions) marks the one whose
    # URL the current page lies under; a blueprint with one entry marks it on all its pages.
    shared = {e.split(".")[0] for e, *_ in visible if sum(x[0].split(".")[0] == e.split(".")[0] for x in visible) > 1}
    items, tabs = [], []
    for endpoint, label, icon, _roles, tab in visible:
        owner = endpoint.split(".")[0]
        if request.endpoint == endpoint:
            current = True
        elif endpoint == "home.index" or blueprint != owner:
            current = False
        else:
            current = owner not in shared or request.path.startswith(url_for(endpoint))
        entry = {"endpoint": endpoint, "label": label, "icon": icon, "current": current}
        items.append(entry)
        if tab and current_user.role == OFFICER:
            tabs.append(entry)
    return {"nav_items": items, "nav_tabs": tabs + _notice_tab(items)}


def _notice_tab(items):
    if current_user.role != OFFICER or "notices.index" not in current_app.view_functions:
        return []
    return [
        {"endpoint": "notices.index", "label": _l("Notices"), "icon": "bell", "current": request.blueprint == "notices"}
    ]

"""What the supervisor's study pages and their exports look up, always within the signed-in
supervisor's unit subtree (404 when missing, 403 outside it): units, sessions, readings,
spot-checks, and the check-in overview's filters, read once for the page and its export."""

from dataclasses import dataclass
from datetime import date, timedelta

from flask_babel import gettext as _
from flask_login import current_user

from accounts.forms import unit_choices
from accounts.models import Unit
from accounts.scope import ensure_unit_in_scope, units_visible_to
from core import clock
from core.errors import NotFound
from core.extensions import db
from core.inputs import parse_id
from study import readings, sessions, spotchecks
from study.forms import CheckInOverviewForm
from study.models import Reading, SpotCheck, StudySession


def visible_units() -> list[Unit]:
    return list(db.session.scalars(units_visible_to(current_user).where(Unit.active)))


def unit_in_scope(unit_id) -> Unit:
    unit = db.session.get(Unit, unit_id) if parse_id(unit_id) else None
    if unit is None:
        raise NotFound(_("This unit was not found."))
    ensure_unit_in_scope(current_user, unit)
    return unit


def managed_session(session_id) -> StudySession:
    session = sessions.get_session(session_id)
    ensure_unit_in_scope(current_user, session.unit)
    return session


def managed_reading(reading_id, edit=False) -> Reading:
    """A reading the supervisor may see (set above them or in their subtree), or edit (`edit`:
    set in their subtree)."""
    reading = db.session.get(Reading, reading_id)
    if reading is None:
        raise NotFound(_("This reading was not found."))
    if edit:
        ensure_unit_in_scope(current_user, reading.unit)
    else:
        readings.ensure_reading_visible(current_user, reading)
    return reading


def managed_spotcheck(spotcheck_id) -> SpotCheck:
    spot_check = spotchecks.get_spot_check(spotcheck_id)
    ensure_unit_in_scope(current_user, spot_check.unit)
    return spot_check


@dataclass
class CheckInFilters:
    form: CheckInOverviewForm
    unit: Unit
    first: date
    last: date


def checkin_filters(args) -> CheckInFilters:
    """The overview's unit (default: the supervisor's own) and day or week (a bad date reads as
    today), from the query string."""
    form = CheckInOverviewForm(args)
    form.unit.choices = unit_choices(visible_units())
    unit = unit_in_scope(form.unit.data) if form.unit.data else current_user.unit
    form.unit.data = unit.id
    day = form.day.data = form.day.data or clock.today()
    week = form.period.data == "week"
    form.period.data = "week" if week else "day"
    first, last = (clock.week_start(day), clock.week_start(day) + timedelta(days=6)) if week else (day, day)
    return CheckInFilters(form, unit, first, last)

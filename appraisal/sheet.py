"""The appraisal sheet (年终绩效考核表) of a unit subtree over a period: a row per officer and unit
they belonged to (appraisal.figures), a row per unit that is the sum of its officers' rows, and
the total; each with a score from the admins' weights and the lagging marks of the rules it met."""

from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

import sqlalchemy as sa
from flask_babel import gettext as _

from accounts.models import Unit, User
from appraisal.figures import Figures, officer_figures
from appraisal.settings import rules as rule_settings
from appraisal.settings import weights as weight_settings
from core import clock
from core.extensions import db


@dataclass
class Row:
    unit: Unit
    figures: Figures
    person: User | None = None  # None: a unit's row or the total
    officers: int = 0  # a unit's row: officers counted
    lagging_officers: int = 0
    score: float | None = None
    marks: list = field(default_factory=list)  # the rules met, as sentences

    @property
    def lagging(self) -> bool:
        return bool(self.marks)


@dataclass
class Sheet:
    unit: Unit
    first_week: date
    last_week: date
    officers: list  # [Row], by unit (tree order) then name
    units: list  # [Row], one per unit with officers, tree order
    total: Row
    weights: dict
    rules: dict

    @property
    def last_day(self) -> date:
        return self.last_week + timedelta(days=6)

    def officers_of(self, unit_id: int) -> list:
        return [row for row in self.officers if row.unit.id == unit_id]


def one_decimal(value: float) -> float:
    """`value` to one decimal, half up (四舍五入) as a committee checking by hand rounds, not
    Python's half to even (81.25 is 81.3, not 81.2). Taken to 9 places first, so that float noise
    (81.24999999999999 for an exact 81.25) does not decide."""
    return float(Decimal(repr(round(value, 9))).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP))


def score(figures: Figures, weights: dict) -> float | None:
    """The weighted average of the row's rates, 0–100 with one decimal (half up); figures with
    nothing to measure (no test assigned, no session expected…) leave the average, not lower it,
    as does a rate whose weight is 0 (settings.weights leaves it out)."""
    total = weight = 0.0
    for rate, w in weights.items():
        value = getattr(figures, rate)
        if value is not None:
            total += value * w
            weight += w
    return one_decimal(total * 100 / weight) if weight else None


def officer_marks(row: Row, rules: dict) -> list[str]:
    """The lagging rules an officer's row meets, each as the sentence the sheet shows."""
    f, marks = row.figures, []
    if rules["below_pass_line"] and row.score is not None and row.score < rules["pass_line"]:
        marks.append(_("Fail: score %(score)s below the pass line %(line)d", score=row.score, line=rules["pass_line"]))
    if rules["outstanding"] and f.outstanding >= rules["outstanding"]:
        marks.append(_("Lagging: %(n)d tests not yet passed (rule: %(rule)d or more)", n=f.outstanding,
                       rule=rules["outstanding"]))  # fmt: skip
    if rules["study_percent"] and f.study_rate is not None and f.study_rate * 100 < rules["study_percent"]:
        marks.append(_("Lagging: studied %(pct)s%% of the daily target (rule: below %(rule)d%%)",
                       pct=round(f.study_rate * 100, 1), rule=rules["study_percent"]))  # fmt: skip
    if rules["session_absences"] and f.session_absent >= rules["session_absences"]:
        marks.append(_("Lagging: absent without leave from %(n)d sessions (rule: %(rule)d or more)",
                       n=f.session_absent, rule=rules["session_absences"]))  # fmt: skip
    return marks


def unit_marks(row: Row, rules: dict) -> list[str]:
    """The lagging rules a unit's (or the total's) row meets."""
    f, marks = row.figures, []
    if rules["below_pass_line"] and row.score is not None and row.score < rules["pass_line"]:
        marks.append(_("Fail: score %(score)s below the pass line %(line)d", score=row.score, line=rules["pass_line"]))
    rate = f.pass_rate_after
    if rules["unit_pass_rate"] and rate is not None and rate * 100 < rules["unit_pass_rate"]:
        marks.append(_("Lagging: pass rate after retake %(pct)s%% (rule: below %(rule)d%%)",
                       pct=round(rate * 100, 1), rule=rules["unit_pass_rate"]))  # fmt: skip
    share = row.lagging_officers / row.officers if row.officers else None
    if rules["unit_lagging_share"] and share is not None and share * 100 >= rules["unit_lagging_share"]:
        marks.append(_("Lagging: %(n)d of %(total)d officers lagging (rule: %(rule)d%% or more)",
                       n=row.lagging_officers, total=row.officers, rule=rules["unit_lagging_share"]))  # fmt: skip
    return marks


def _rows(figures: dict, weights: dict, rules: dict) -> list[Row]:
    units = {u.id: u for u in db.session.scalars(sa.select(Unit).where(Unit.id.in_({k[0] for k in figures})))}
    people = {p.id: p for p in db.session.scalars(sa.select(User).where(User.id.in_({k[1] for k in figures})))}
    rows = []
    for (unit_id, user_id), f in figures.items():
        row = Row(unit=units[unit_id], figures=f, person=people[user_id])
        row.score = score(f, weights)
        row.marks = officer_marks(row, rules)
        rows.append(row)
    rows.sort(key=lambda r: (r.unit.path, r.person.full_name, r.person.username))
    return rows


def _unit_row(unit: Unit, officers: list, weights: dict, rules: dict) -> Row:
    row = Row(unit=unit, figures=Figures(), officers=len({r.person.id for r in officers}))
    for officer in officers:
        row.figures.add(officer.figures)
    row.lagging_officers = len({r.person.id for r in officers if r.lagging})
    row.score = score(row.figures, weights)
    row.marks = unit_marks(row, rules)
    return row


def build_sheet(unit: Unit, first_week: date, last_week: date, *, today: date | None = None) -> Sheet:
    """`unit`'s appraisal sheet for the weeks first_week..last_week (Mondays)."""
    weights, rules = weight_settings(), rule_settings()
    officers = _rows(officer_figures(unit, first_week, last_week, today or clock.today()), weights, rules)
    by_unit: dict = {}
    for row in officers:
        by_unit.setdefault(row.unit.id, (row.unit, []))[1].append(row)
    units = [_unit_row(u, rows, weights, rules) for u, rows in sorted(by_unit.values(), key=lambda v: v[0].path)]
    total = _unit_row(unit, officers, weights, rules)
    return Sheet(unit, first_week, last_week, officers, units, total, weights, rules)


def person_rows(person: User, first_week: date, last_week: date, *, today: date | None = None) -> list[Row]:
    """`person`'s own rows (one per unit they belonged to) over the weeks, as the sheet of the
    whole tree shows them."""
    top = db.session.scalars(sa.select(Unit).where(Unit.parent_id.is_(None)).order_by(Unit.sort_order, Unit.id)).all()
    weights, rules = weight_settings(), rule_settings()
    rows = []
    for root in top:
        figures = officer_figures(root, first_week, last_week, today or clock.today(), user_ids=[person.id])
        rows += _rows(figures, weights, rules)
    return rows


def year_so_far(today: date) -> tuple[date, date]:
    """The default period: the weeks of the calendar year up to this one."""
    return clock.week_start(date(today.year, 1, 1)), clock.week_start(today)


# The sheet's columns: (key, header, kind), shared by the page, the export and the record.
def sheet_columns():
    from flask_babel import lazy_gettext as _l

    return [
        ("score", _l("Score"), "number"),
        ("pass_rate_after", _l("Pass rate (after retake)"), "share"),
        ("assigned", _l("Tests assigned"), "int"),
        ("took", _l("Took"), "int"),
        ("passed_first", _l("Passed first time"), "int"),
        ("passed_after_retake", _l("Passed after retake"), "int"),
        ("absent", _l("Absent from tests"), "int"),
        ("outstanding", _l("Tests not yet passed"), "int"),
        ("checkin_days", _l("Study days"), "int"),
        ("member_days", _l("Days in the unit"), "int"),
        ("minutes", _l("Study minutes"), "int"),
        ("study_rate", _l("Of the daily target"), "share"),
        ("attended", _l("Sessions attended"), "int"),
        ("on_leave", _l("On leave"), "int"),
        ("session_absent", _l("Absent without leave"), "int"),
        ("readings_done", _l("Required readings done"), "int"),
        ("readings_required", _l("Required readings"), "int"),
        ("spot_qualified", _l("Notes qualified"), "int"),
        ("spot_unqualified", _l("Notes not qualified"), "int"),
    ]


def row_values(row: Row) -> dict:
    """The numbers the page, the export and the record show: shares as percentages (one decimal)."""
    values = {}
    for key, _header, kind in sheet_columns():
        value = row.score if key == "score" else getattr(row.figures, key)
        if kind == "share":
            value = None if value is None else round(value * 100, 1)
        values[key] = value
    return values

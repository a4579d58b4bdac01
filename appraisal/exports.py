"""The appraisal sheet and the inspection list as spreadsheets (core.exporting): for an appraisal
committee, the units' totals first, then one sheet per unit with its officers."""

import re

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from appraisal.sheet import Sheet as AppraisalSheet
from appraisal.sheet import row_values, sheet_columns
from core.exporting import Column, Sheet

UNSAFE_TITLE = re.compile(r"[\[\]:*?/\\]")


def _figures():
    return [Column(header, lambda row, key=key: row_values(row)[key]) for key, header, _kind in sheet_columns()]


def _marks(row) -> str:
    return _("; ").join(row.marks) if row.marks else ""


def appraisal_sheets(sheet: AppraisalSheet) -> list[Sheet]:
    period = _("%(first)s to %(last)s", first=sheet.first_week.isoformat(), last=sheet.last_day.isoformat())
    totals = [sheet.total, *sheet.units]  # the total first, then the units in tree order
    sheets = [
        Sheet(
            _l("Totals"),
            [
                Column(_l("Unit"), lambda row: _("Total of all units") if row is sheet.total else row.unit.name),
                Column(_l("Period"), lambda row: period),
                Column(_l("Officers"), lambda row: row.officers),
                Column(_l("Officers lagging"), lambda row: row.lagging_officers),
                *_figures(),
                Column(_l("Lagging / failed (rule met)"), _marks),
            ],
            totals,
        )
    ]
    for index, unit_row in enumerate(sheet.units, start=1):
        title = UNSAFE_TITLE.sub(" ", f"{index}. {unit_row.unit.name}")[:31]
        sheets.append(
            Sheet(
                title,
                [
                    Column(_l("Name"), lambda row: row.person.full_name),
                    Column(_l("Username"), lambda row: row.person.username),
                    Column(_l("Unit"), lambda row: row.unit.name),
                    *_figures(),
                    Column(_l("Lagging / failed (rule met)"), _marks),
                ],
                sheet.officers_of(unit_row.unit.id),
            )
        )
    return sheets


def inspection_sheets(inspections, open_findings) -> list[Sheet]:
    """The inspections (one row per finding, or one row for an inspection without any) and the
    findings still open."""
    rows = []
    for inspection in inspections:
        for finding in inspection.findings or [None]:
            rows.append((inspection, finding))
    return [
        Sheet(
            _l("Inspections"),
            [
                Column(_l("Date"), lambda r: r[0].day),
                Column(_l("Unit"), lambda r: r[0].unit.name),
                Column(_l("Kind"), lambda r: r[0].kind),
                Column(_l("Inspectors"), lambda r: r[0].inspectors),
                Column(_l("What was checked"), lambda r: r[0].checked),
                Column(_l("Finding"), lambda r: r[1].text if r[1] else _("No findings")),
                Column(_l("Rectify by"), lambda r: r[1].deadline if r[1] else None),
                Column(_l("Status"), lambda r: r[1].status if r[1] else None),
                Column(_l("How it was rectified"), lambda r: r[1].rectification if r[1] else None),
                Column(_l("Rectified at"), lambda r: r[1].rectified_at if r[1] else None),
            ],
            rows,
        ),
        Sheet(
            _l("Open findings"),
            [
                Column(_l("Unit"), lambda f: f.inspection.unit.name),
                Column(_l("Date"), lambda f: f.inspection.day),
                Column(_l("Finding"), lambda f: f.text),
                Column(_l("Rectify by"), lambda f: f.deadline),
            ],
            open_findings,
        ),
    ]

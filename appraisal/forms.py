"""Forms of the inspections: shape only; the rules (scope, dates) live in appraisal.inspections."""

from operator import attrgetter

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import FieldList, Form, FormField, SelectField, StringField, TextAreaField
from wtforms.fields import enum_choices
from wtforms.validators import DataRequired, Length, Optional

from appraisal.models import InspectionKind
from core.inputs import DayField

FINDING_ROWS = 5  # rows the form offers; empty ones are ignored


class FindingForm(Form):
    """One finding row (inside InspectionForm, which carries the CSRF token)."""

    text = TextAreaField(_l("Finding"), validators=[Optional(), Length(max=1000)])
    deadline = DayField(_l("Rectify by"), validators=[Optional()])

    def validate(self, extra_validators=None):
        valid = super().validate(extra_validators)
        if (self.text.data or "").strip() and self.deadline.data is None and not self.deadline.errors:
            self.deadline.errors = [*self.deadline.errors, _l("Give each finding a rectification deadline.")]
            return False
        return valid


class InspectionForm(FlaskForm):
    unit = SelectField(_l("Unit inspected"), coerce=int)
    day = DayField(_l("Date of the inspection"), validators=[DataRequired()])
    kind = SelectField(_l("Kind"), choices=enum_choices(InspectionKind, label=attrgetter("label")))
    inspectors = StringField(_l("Inspectors"), validators=[DataRequired(), Length(max=200)])
    checked = TextAreaField(_l("What was checked"), validators=[DataRequired(), Length(max=2000)])
    findings = FieldList(FormField(FindingForm), min_entries=FINDING_ROWS, max_entries=FINDING_ROWS)

    def finding_rows(self) -> list[tuple[str, object]]:
        """[(text, deadline)] of the rows filled in."""
        return [
            (entry.form.text.data.strip(), entry.form.deadline.data)
            for entry in self.findings
            if (entry.form.text.data or "").strip()
        ]


class RectifyForm(FlaskForm):
    rectification = TextAreaField(_l("How it was rectified"), validators=[DataRequired(), Length(max=2000)])

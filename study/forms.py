"""Forms of the study pages: shape only; the rules live in the services."""

from operator import attrgetter

from flask_babel import lazy_gettext as _l
from flask_babel import lazy_pgettext
from flask_wtf import FlaskForm
from flask_wtf.file import FileAllowed, FileField
from wtforms import (
    BooleanField,
    DateTimeLocalField,
    HiddenField,
    IntegerField,
    RadioField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.fields import enum_choices
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional
from wtforms.widgets import CheckboxInput, ListWidget

from core.inputs import DayField
from study.models import SessionKind, SpotCheckResult, StudyMethod

LABEL = attrgetter("label")  # choices of an enum show each member's translated label


class MultiCheckboxField(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class CheckInForm(FlaskForm):
    day = HiddenField()
    minutes = IntegerField(
        _l("Minutes studied"), validators=[InputRequired(), NumberRange(min=1, max=1440)], default=120
    )
    method = RadioField(
        lazy_pgettext("check-in", "How"), choices=enum_choices(StudyMethod, label=LABEL), default=StudyMethod.SELF.value
    )
    readings = MultiCheckboxField(_l("Readings studied"), coerce=int, validate_choice=False)
    notes = TextAreaField(_l("Study notes"), validators=[DataRequired(), Length(max=5000)])


class SignInForm(FlaskForm):
    code = StringField(_l("Sign-in code"), validators=[Optional(), Length(max=12)])
    token = HiddenField()


class LeaveForm(FlaskForm):
    reason = TextAreaField(_l("Reason for leave"), validators=[DataRequired(), Length(max=500)])


class SessionForm(FlaskForm):
    kind = SelectField(_l("Kind"), choices=enum_choices(SessionKind, label=LABEL))
    title = StringField(_l("Title"), validators=[DataRequired(), Length(max=200)])
    speaker = StringField(_l("Speaker"), validators=[Optional(), Length(max=100)])
    place = StringField(_l("Place"), validators=[Optional(), Length(max=200)])
    unit_id = SelectField(_l("For the unit (and the units below it)"), coerce=int)
    starts_at = DateTimeLocalField(_l("Starts"), format="%Y-%m-%dT%H:%M", validators=[InputRequired()])
    ends_at = DateTimeLocalField(_l("Ends"), format="%Y-%m-%dT%H:%M", validators=[InputRequired()])


class ReadingForm(FlaskForm):
    title = StringField(_l("Title"), validators=[DataRequired(), Length(max=200)])
    unit_id = SelectField(_l("For the unit (and the units below it)"), coerce=int)
    category_id = SelectField(_l("Category"), coerce=int)
    required = BooleanField(_l("Required reading"), default=True)
    due_on = DayField(_l("Read by (optional)"), validators=[Optional()])
    body = TextAreaField(
        _l("Text"),
        validators=[Optional(), Length(max=200000)],
        description=_l("Plain text (a blank line starts a paragraph) or simple HTML: headings, lists, bold."),
    )
    pdf = FileField(_l("PDF (optional)"), validators=[FileAllowed(["pdf"], _l("Only PDF files."))])


class DecideLeaveForm(FlaskForm):
    note = StringField(_l("Note to the officer (optional)"), validators=[Optional(), Length(max=300)])
    decision = HiddenField(validators=[DataRequired()])


class CheckInOverviewForm(FlaskForm):
    class Meta:
        csrf = False  # a GET filter changes nothing

    unit = SelectField(_l("Unit"), coerce=int, validators=[Optional()])
    day = DayField(_l("Day"), validators=[Optional()])
    period = SelectField(
        _l("Period"), choices=[SelectChoice("day", _l("That day")), SelectChoice("week", _l("That week"))]
    )


class SpotCheckForm(FlaskForm):
    unit_id = SelectField(_l("Unit"), coerce=int)
    from_day = DayField(_l("From"), validators=[InputRequired()])
    to_day = DayField(_l("To"), validators=[InputRequired()])
    size = IntegerField(_l("Number of check-ins"), validators=[Optional(), NumberRange(min=1, max=500)])
    percent = IntegerField(_l("or percentage"), validators=[Optional(), NumberRange(min=1, max=100)])


class MarkItemForm(FlaskForm):
    result = RadioField(_l("Result"), choices=enum_choices(SpotCheckResult, label=LABEL))
    comment = StringField(_l("Comment"), validators=[Optional(), Length(max=500)])

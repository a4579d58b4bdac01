"""Forms of the supervisor's test pages: shape only; the rules live in the services."""

from operator import attrgetter

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    DateTimeLocalField,
    FieldList,
    Form,
    FormField,
    IntegerField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.fields import enum_choices
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional, Regexp

from question_bank.models import QuestionType
from quiz.models import AttemptPolicy, ExamKind, Recurrence

LABEL = attrgetter("label")  # choices of an enum show each member's translated label

WEEKDAYS = [
    SelectChoice(0, _l("Monday")),
    SelectChoice(1, _l("Tuesday")),
    SelectChoice(2, _l("Wednesday")),
    SelectChoice(3, _l("Thursday")),
    SelectChoice(4, _l("Friday")),
    SelectChoice(5, _l("Saturday")),
    SelectChoice(6, _l("Sunday")),
]
TIME = Regexp(r"^([01]\d|2[0-3]):[0-5]\d$", message=_l("Write the time as HH:MM, e.g. 08:00."))
MAX_RULES = 20
REQUIRED = InputRequired(message=_l("Fill this in."))
TEXT_REQUIRED = DataRequired(message=_l("Fill this in."))


def _range(low, high):
    return NumberRange(min=low, max=high, message=_l("Enter a whole number from %(min)s to %(max)s."))


class RuleForm(Form):
    """One blueprint row. A plain wtforms Form: the outer form carries the CSRF token."""

    category_id = SelectField(_l("Category"), coerce=int, validate_choice=False)
    type = SelectField(_l("Type"), choices=enum_choices(QuestionType, label=LABEL))
    count = IntegerField(_l("Questions"), validators=[REQUIRED, _range(1, 200)], default=5)
    points = IntegerField(_l("Points each"), validators=[REQUIRED, _range(1, 100)], default=2)
    remove = BooleanField(_l("Remove"))


class TemplateForm(FlaskForm):
    title = StringField(_l("Title"), validators=[TEXT_REQUIRED, Length(max=200)])
    kind = SelectField(_l("Kind"), choices=enum_choices(ExamKind, label=LABEL))
    scope_unit_id = SelectField(_l("For the unit (and the units below it)"), coerce=int)
    duration_minutes = IntegerField(_l("Duration (minutes)"), validators=[REQUIRED, _range(1, 600)], default=30)
    pass_mark_percent = IntegerField(
        _l("Pass mark (percent of the points)"), validators=[REQUIRED, _range(1, 100)], default=60
    )
    attempts_allowed = IntegerField(_l("Attempts allowed"), validators=[REQUIRED, _range(1, 10)], default=1)
    attempt_policy = SelectField(_l("Which attempt counts"), choices=enum_choices(AttemptPolicy, label=LABEL))
    shuffle_questions = BooleanField(_l("Shuffle the questions"), default=True)
    shuffle_options = BooleanField(_l("Shuffle the options"), default=True)
    partial_credit = BooleanField(
        _l("Partial credit"),
        description=_l("Multiple choice and fill-in earn a share of the points for a partly right answer."),
    )
    retake_days = IntegerField(_l("Retake open for (days)"), validators=[REQUIRED, _range(1, 30)], default=3)
    recurrence = SelectField(_l("Repeats"), choices=enum_choices(Recurrence, label=LABEL))
    open_weekday = SelectField(_l("Opens on"), coerce=int, choices=WEEKDAYS, default=0)
    close_weekday = SelectField(_l("Closes on"), coerce=int, choices=WEEKDAYS, default=6)
    open_day = IntegerField(_l("Opens on day"), validators=[Optional(), _range(1, 28)], default=1)
    close_day = IntegerField(_l("Closes on day"), validators=[Optional(), _range(1, 28)], default=7)
    open_time = StringField(_l("Opening time"), validators=[Optional(), TIME], default="08:00")
    close_time = StringField(_l("Closing time"), validators=[Optional(), TIME], default="20:00")
    rules = FieldList(FormField(RuleForm), min_entries=1, max_entries=MAX_RULES)


class PublishForm(FlaskForm):
    title = StringField(_l("Title (optional)"), validators=[Optional(), Length(max=200)])
    opens_at = DateTimeLocalField(_l("Opens"), format="%Y-%m-%dT%H:%M", validators=[REQUIRED])
    closes_at = DateTimeLocalField(_l("Closes"), format="%Y-%m-%dT%H:%M", validators=[REQUIRED])


class ExceptionForm(FlaskForm):
    opens_at = DateTimeLocalField(_l("Opens for them"), format="%Y-%m-%dT%H:%M", validators=[Optional()])
    closes_at = DateTimeLocalField(_l("Closes for them"), format="%Y-%m-%dT%H:%M", validators=[Optional()])
    extra_minutes = IntegerField(_l("Extra minutes"), validators=[Optional(), _range(0, 600)], default=0)
    extra_attempts = IntegerField(_l("Extra attempts"), validators=[Optional(), _range(0, 5)], default=0)
    reason = TextAreaField(_l("Reason"), validators=[TEXT_REQUIRED, Length(max=200)])

"""Forms for sign-in, passwords, units, people and the people import. Shape only; rules live in
the services."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import (
    BooleanField,
    HiddenField,
    IntegerField,
    PasswordField,
    SelectField,
    StringField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, EqualTo, Length, NumberRange, Optional

from accounts.models import ROLE_LABELS, UNIT_KIND_LABELS, Role, UnitKind
from accounts.units import in_tree_order


class LoginForm(FlaskForm):
    username = StringField(_l("Badge or staff number"), validators=[DataRequired(), Length(max=40)])
    password = PasswordField(_l("Password"), validators=[DataRequired(), Length(max=256)])
    remember = BooleanField(_l("Remember this phone"))
    next = HiddenField()


class ChangePasswordForm(FlaskForm):
    current = PasswordField(_l("Current password"), validators=[DataRequired()])
    password = PasswordField(_l("New password"), validators=[DataRequired()])
    confirm = PasswordField(
        _l("New password again"),
        validators=[DataRequired(), EqualTo("password", message=_l("The two new passwords differ."))],
    )


def unit_kind_choices():
    return [SelectChoice(kind.value, UNIT_KIND_LABELS[kind]) for kind in UnitKind]


def role_choices(actor):
    roles = list(Role) if actor.role == Role.ADMIN else [Role.OFFICER, Role.SUPERVISOR]
    return [SelectChoice(role.value, ROLE_LABELS[role]) for role in roles]


def unit_choices(units):
    """Units in tree order, indented by depth, for a select box."""
    base = min((u.depth for u in units), default=0)
    return [SelectChoice(u.id, "\u3000" * (u.depth - base) + u.name) for u in in_tree_order(units)]


class UnitForm(FlaskForm):
    name = StringField(_l("Unit name"), validators=[DataRequired(), Length(max=100)])
    kind = SelectField(_l("Kind"), choices=unit_kind_choices)
    parent_id = SelectField(_l("Parent unit"), coerce=int, validators=[Optional()])
    sort_order = IntegerField(_l("Order"), default=0, validators=[Optional(), NumberRange(min=0, max=9999)])


class MoveUnitForm(FlaskForm):
    parent_id = SelectField(_l("New parent unit"), coerce=int)


class PersonForm(FlaskForm):
    username = StringField(_l("Badge or staff number"), validators=[DataRequired(), Length(max=40)])
    full_name = StringField(_l("Full name"), validators=[DataRequired(), Length(max=60)])
    unit_id = SelectField(_l("Unit"), coerce=int)
    role = SelectField(_l("Role"))
    phone = StringField(_l("Mobile (optional)"), validators=[Optional(), Length(max=20)])


class PeopleSearchForm(FlaskForm):
    class Meta:
        csrf = False  # a GET search form changes nothing

    q = StringField(_l("Name or number"), validators=[Optional(), Length(max=60)])
    unit = SelectField(_l("Unit"), coerce=int, validators=[Optional()])
    role = SelectField(_l("Role"), validators=[Optional()])
    include_inactive = BooleanField(_l("Include deactivated"))


class ImportUploadForm(FlaskForm):
    file = FileField(_l("Spreadsheet (.xlsx or .csv)"), validators=[FileRequired(_l("Choose a file to upload."))])


class ImportConfirmForm(FlaskForm):
    token = HiddenField(validators=[DataRequired()])
    mode = HiddenField(validators=[DataRequired()])


class EmptyForm(FlaskForm):
    """A form with only the CSRF token, for buttons that post."""

"""Forms of the reports: editing a bulletin, drafting one for a unit and week."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length


class BulletinForm(FlaskForm):
    title = StringField(_l("Title"), validators=[DataRequired(), Length(max=200)])
    body = TextAreaField(_l("Text"), validators=[DataRequired(), Length(max=50000)])


class DraftBulletinForm(FlaskForm):
    unit = SelectField(_l("Unit"), coerce=int)
    week = DateField(_l("Any day of the week"), validators=[DataRequired()])

"""Forms of the reports: editing a bulletin, drafting one for a unit and week."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length

from core.inputs import DayField


class BulletinForm(FlaskForm):
    title = StringField(_l("Title"), validators=[DataRequired(), Length(max=200)])
    body = TextAreaField(
        _l("Text"),
        validators=[DataRequired(), Length(max=50000)],
        description=_l(
            "A line starting 一、 opens a section and （一） a part of it; lines with cells between ｜ make a "
            "table, the first line its header. The page and the Word document are laid out from this."
        ),
    )


class DraftBulletinForm(FlaskForm):
    unit = SelectField(_l("Unit"), coerce=int)
    week = DayField(_l("Any day of the week"), validators=[DataRequired()])

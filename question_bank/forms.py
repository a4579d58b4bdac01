"""Forms of the question bank pages. Shape only: the rules live in answer_input, importer and
services, so the editor, the import page and the CLI obey the same ones."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import BooleanField, HiddenField, SelectField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, Optional

from question_bank.answers import LETTERS
from question_bank.models import QUESTION_TYPE_LABELS, QuestionType

DIFFICULTY_LABELS = {
    1: _l("1 · easy"),
    2: _l("2 · fairly easy"),
    3: _l("3 · medium"),
    4: _l("4 · fairly hard"),
    5: _l("5 · hard"),
}
STATUS_CHOICES = [
    SelectChoice("active", _l("In use")),
    SelectChoice("retired", _l("Retired")),
    SelectChoice("all", _l("All")),
]


def type_choices():
    return [SelectChoice(t.value, QUESTION_TYPE_LABELS[t]) for t in QuestionType]


def difficulty_choices():
    return [SelectChoice(str(n), label) for n, label in DIFFICULTY_LABELS.items()]


class QuestionSearchForm(FlaskForm):
    class Meta:
        csrf = False  # a GET search form changes nothing

    q = StringField(_l("Text in the question, or #id"), validators=[Optional(), Length(max=100)])
    category = SelectField(_l("Category"), coerce=int, validators=[Optional()])
    type = SelectField(_l("Type"), validators=[Optional()])
    difficulty = SelectField(_l("Difficulty"), validators=[Optional()])
    status = SelectField(_l("Status"), choices=STATUS_CHOICES, default="active", validators=[Optional()])


class QuestionForm(FlaskForm):
    category_id = SelectField(_l("Category"), coerce=int)
    type = SelectField(_l("Type"), choices=type_choices)
    stem = TextAreaField(
        _l("Question"),
        validators=[DataRequired(), Length(max=2000)],
        description=_l("Fill-in: mark each blank with ____ or （ ）."),
    )
    answer = StringField(_l("Answer"), validators=[DataRequired(), Length(max=500)])
    explanation = TextAreaField(_l("Explanation (shown after the test closes)"), validators=[Length(max=5000)])
    difficulty = SelectField(_l("Difficulty"), choices=difficulty_choices, default="3")
    source = StringField(_l("Source (e.g. handbook chapter)"), validators=[Optional(), Length(max=200)])
    tags = StringField(_l("Tags (separated by commas)"), validators=[Optional(), Length(max=200)])
    save_anyway = BooleanField(_l("It differs from the existing one: save anyway"))

    def option_fields(self):
        return [getattr(self, f"option_{letter.lower()}") for letter in LETTERS]

    def options(self) -> list[str]:
        """The filled options, A first; empty trailing ones dropped."""
        texts = [(f.data or "").strip() for f in self.option_fields()]
        while texts and not texts[-1]:
            texts.pop()
        return texts


for _letter in LETTERS:
    setattr(
        QuestionForm,
        f"option_{_letter.lower()}",
        StringField(_l("Option %(letter)s", letter=_letter), validators=[Optional(), Length(max=500)]),
    )


class CategoryForm(FlaskForm):
    name = StringField(_l("Category name"), validators=[DataRequired(), Length(max=100)])
    parent_id = SelectField(_l("Under"), coerce=int, validators=[Optional()])


class RenameCategoryForm(FlaskForm):
    name = StringField(_l("New name"), validators=[DataRequired(), Length(max=100)])


class BulkForm(FlaskForm):
    action = HiddenField(validators=[DataRequired()])
    category_id = SelectField(_l("Move to"), coerce=int, validators=[Optional()])


class ImportUploadForm(FlaskForm):
    file = FileField(
        _l("File (Excel, CSV or text, JSON, Word)"), validators=[FileRequired(_l("Choose a file to upload."))]
    )
    category_id = SelectField(_l("Category for rows without one"), coerce=int, validators=[Optional()])
    create_categories = BooleanField(_l("Create missing categories"))
    profile_id = SelectField(_l("Import profile"), coerce=int, validators=[Optional()])


class ImportConfirmForm(FlaskForm):
    """The dry run's choices carried to the confirmation; each button's form adds its own `mode`
    input ("all" or "valid"), read from the request, so no empty field shadows it. `mapping` is the
    mapping checked, as URL-safe base64 JSON (question_bank.import_views.encode_mapping)."""

    token = HiddenField(validators=[DataRequired()])
    category_id = HiddenField()
    create_categories = HiddenField()
    mapping = HiddenField()


class ImportCheckForm(ImportConfirmForm):
    """The mapping step: each column's field comes as `col-<n>` (read by the view, checked by
    import_mapping.check_columns); the value maps as 'value = meaning' lines."""

    profile_id = SelectField(_l("Use a saved profile"), coerce=int, validators=[Optional()])
    type_map = TextAreaField(_l("Type codes"), validators=[Length(max=2000)])
    answer_map = TextAreaField(_l("Answer codes"), validators=[Length(max=2000)])
    difficulty_map = TextAreaField(_l("Difficulty words"), validators=[Length(max=2000)])
    profile_name = StringField(_l("Save this mapping as the profile"), validators=[Optional(), Length(max=80)])


class ExportForm(FlaskForm):
    """The list's filters, carried into the export POST; the clicked button names the format."""

    q = HiddenField()
    category = HiddenField()
    type = HiddenField()
    difficulty = HiddenField()
    status = HiddenField(default="active")

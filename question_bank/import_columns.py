"""The fields a question file's columns can be read as: header names in Chinese and English, and
the headers other systems use for them (normalised as core.tabular.normalise_header does), with
the names messages and the mapping page use for them."""

from flask_babel import lazy_gettext as _l

from question_bank.answers import LETTERS

OPTION_COLUMNS = tuple(LETTERS)
_option_aliases = {}
for _letter in LETTERS:
    for _form in (_letter, f"选项{_letter}", f"option{_letter}", f"option_{_letter}", f"答案{_letter}"):
        _option_aliases[_form.lower()] = _letter

HEADER_ALIASES = {
    **dict.fromkeys(
        [
            *("题型", "题目类型", "试题类型", "类型", "题类", "type", "questiontype", "qtype", "question_type"),
            *("test_question_type", "optiontype", "题目题型"),
        ],
        "type",
    ),
    **dict.fromkeys(
        [
            *("题干", "题目", "试题", "问题", "题目内容", "试题内容", "题干内容", "question", "stem", "questiontext"),
            *("问题内容", "题目名称", "试题题干", "test_questions_name", "question_text", "content", "title"),
        ],
        "stem",
    ),
    **_option_aliases,
    # All options in one cell: 'A．…;B．…' or 'A.9种/B.10种'
    **dict.fromkeys(
        ["备选答案", "选项", "答案选项", "可选项", "选项列表", "options", "choices", "test_question_selects"],
        "options",
    ),
    **dict.fromkeys(
        [
            *("答案", "正确答案", "标准答案", "参考答案", "answer", "key", "correctanswer", "answerkey"),
            *("正确选项", "correct_answer", "right_answer", "试题答案"),
        ],
        "answer",
    ),
    **dict.fromkeys(
        [
            *("解析", "答案解析", "试题解析", "题目解析", "explanation", "analysis", "解析说明", "explain"),
            *("整体解析", "答题解析", "题解"),
        ],
        "explanation",
    ),
    **dict.fromkeys(
        [
            *("分类", "类别", "题目分类", "所属分类", "知识分类", "category", "categorypath", "题库分类"),
            *("知识点分类", "所属题库", "题库"),
        ],
        "category",
    ),
    **dict.fromkeys(["难度", "难易度", "难易程度", "difficulty", "level", "难度系数", "难度等级"], "difficulty"),
    **dict.fromkeys(["来源", "出处", "依据", "source", "reference"], "source"),
    **dict.fromkeys(["标签", "关键词", "tags", "tag", "keywords"], "tags"),
    **dict.fromkeys(["编号", "序号", "题号", "id", "no", "no.", "number", "题目编号", "题目序号", "试题编号"], "ref"),
    # A picture the question needs: the file cannot bring it, so such a row is refused.
    **dict.fromkeys(["题目图片", "图片", "试题图片", "mediacontent", "image", "picture", "img"], "picture"),
    # One row per option: the question's fields on its first row, each row one option.
    **dict.fromkeys(["选项内容", "option_text", "optiontext"], "option_text"),
    **dict.fromkeys(["是否正确项", "是否正确", "正确项", "is_correct", "iscorrect", "correct"], "option_correct"),
}
# Column names in messages: the template's own (Chinese) headers.
COLUMN_LABELS = {
    "type": "题型",
    "stem": "题干",
    "options": "备选答案",
    "answer": "答案",
    "explanation": "解析",
    "category": "分类",
    "difficulty": "难度",
    "source": "来源",
    "tags": "标签",
    "ref": "编号",
    "option_text": "选项内容",
    "picture": "题目图片",
    "option_correct": "是否正确项",
    **{letter: f"选项{letter}" for letter in LETTERS},
}
REQUIRED_COLUMNS = ("stem",)
# The fields the mapping page offers for each column, in its order.
FIELD_CHOICES = [
    ("", _l("(ignored)")),
    ("type", _l("Type (题型)")),
    ("stem", _l("Question (题干)")),
    ("options", _l("All options in one cell")),
    *[(letter, _l("Option %(letter)s", letter=letter)) for letter in LETTERS],
    ("answer", _l("Answer (答案)")),
    ("explanation", _l("Explanation (解析)")),
    ("category", _l("Category (分类)")),
    ("difficulty", _l("Difficulty (难度)")),
    ("source", _l("Source (来源)")),
    ("tags", _l("Tags (标签)")),
    ("ref", _l("Number (编号)")),
    ("picture", _l("Picture (the row is refused when it has one)")),
    ("option_text", _l("One option per row: its text")),
    ("option_correct", _l("One option per row: correct (1) or not (0)")),
]
FIELDS = tuple(name for name, _label in FIELD_CHOICES if name)

"""The columns of the question import file: header names in Chinese and English (normalised as
core.tabular.normalise_header does) and the names messages use for them."""

from question_bank.answers import LETTERS

OPTION_COLUMNS = tuple(LETTERS)
_option_aliases = {}
for _letter in LETTERS:
    for _form in (_letter, f"选项{_letter}", f"option{_letter}", f"option_{_letter}"):
        _option_aliases[_form.lower()] = _letter

HEADER_ALIASES = {
    **dict.fromkeys(["题型", "题目类型", "试题类型", "类型", "题类", "type", "questiontype", "qtype"], "type"),
    **dict.fromkeys(
        ["题干", "题目", "试题", "问题", "题目内容", "试题内容", "题干内容", "question", "stem", "questiontext"], "stem"
    ),
    **_option_aliases,
    **dict.fromkeys(
        ["答案", "正确答案", "标准答案", "参考答案", "answer", "key", "correctanswer", "answerkey"], "answer"
    ),
    **dict.fromkeys(["解析", "答案解析", "试题解析", "题目解析", "explanation", "analysis"], "explanation"),
    **dict.fromkeys(["分类", "类别", "题目分类", "所属分类", "知识分类", "category", "categorypath"], "category"),
    **dict.fromkeys(["难度", "难易度", "难易程度", "difficulty", "level"], "difficulty"),
    **dict.fromkeys(["来源", "出处", "依据", "source", "reference"], "source"),
    **dict.fromkeys(["标签", "关键词", "tags", "tag", "keywords"], "tags"),
    **dict.fromkeys(["编号", "序号", "题号", "id", "no", "no.", "number"], "ref"),
}
# Column names in messages: the template's own (Chinese) headers.
COLUMN_LABELS = {
    "type": "题型",
    "stem": "题干",
    "answer": "答案",
    "explanation": "解析",
    "category": "分类",
    "difficulty": "难度",
    "source": "来源",
    "tags": "标签",
    "ref": "编号",
    **{letter: f"选项{letter}" for letter in LETTERS},
}
REQUIRED_COLUMNS = ("stem", "answer")

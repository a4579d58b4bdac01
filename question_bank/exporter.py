"""Export questions in the import template's layout (.xlsx or .csv), the blank template with its
instructions sheet, and the pocket card (随身卡) data that the manager's print page and the
officers' 随身卡 both render through templates/question_bank/_pocket_card_body.html."""

from dataclasses import dataclass, field

import sqlalchemy as sa

from core import tabular
from core.extensions import db
from core.settings import get_setting
from question_bank import answer_input, answers
from question_bank.answers import LETTERS
from question_bank.categories import CategoryTree
from question_bank.models import Category, Question, QuestionType

TEMPLATE_HEADERS = [
    "题型",
    "题干",
    *[f"选项{letter}" for letter in LETTERS],
    "答案",
    "解析",
    "分类",
    "难度",
    "来源",
    "标签",
]
TYPE_ORDER = {QuestionType.SINGLE: 0, QuestionType.MULTIPLE: 1, QuestionType.TRUE_FALSE: 2, QuestionType.FILL: 3}
XLSX_MIMETYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CSV_MIMETYPE = "text/csv; charset=utf-8"

TEMPLATE_EXAMPLES = [
    [
        "单选",
        "政法队伍教育整顿的四项任务不包括下列哪一项？",
        "筑牢政治忠诚",
        "清除害群之马",
        "整治顽瘴痼疾",
        "招商引资",
        *[""] * 4,
        "D",
        "四项任务是：筑牢政治忠诚、清除害群之马、整治顽瘴痼疾、弘扬英模精神。",
        "政治教育",
        "2",
        "教育整顿应知应会 第一部分",
        "四项任务",
    ],
    [
        "多选",
        "政法队伍教育整顿学习教育环节的“四项教育”包括（ ）。",
        "政治教育",
        "党史教育",
        "警示教育",
        "英模教育",
        "业务竞赛",
        *[""] * 3,
        "ABCD",
        "以政治教育、党史教育、警示教育、英模教育“四项教育”为主抓手。",
        "政治教育",
        "2",
        "教育整顿应知应会 第一部分",
        "四项教育",
    ],
    [
        "判断",
        "“自查从宽、被查从严”是指主动向组织说明问题的可以依规依纪依法从宽处理，被查出问题的依规依纪依法从严处理。",
        *[""] * 8,
        "对",
        "查纠整改环节坚持“自查从宽、被查从严”政策，引导干警主动说明问题。",
        "党纪党规",
        "3",
        "教育整顿应知应会 第二部分",
        "",
    ],
    [
        "填空",
        "政法队伍教育整顿分为学习教育、____、总结提升三个环节。",
        *[""] * 8,
        "查纠整改/查究整改",
        "三个环节依次是学习教育、查纠整改、总结提升；“/”分隔同一空的几种可接受答案。",
        "政治教育",
        "1",
        "教育整顿应知应会 第一部分",
        "三个环节",
    ],
]


def _instructions():
    max_rows = get_setting("BANK_IMPORT_MAX_ROWS")
    max_mb = get_setting("BANK_IMPORT_MAX_MB")
    return [
        ["使用方法", "在“题目”表中每行填一道题。第一行是表头，表头可用中文或英文、顺序不限；表头上方可以保留说明行。"],
        [
            "题型",
            "单选 / 多选 / 判断 / 填空（也可写 单选题、多项选择、是非题、single、multiple、true_false、fill 等）。"
            "留空时自动判断：有选项且答案是一个字母为单选，几个字母为多选；没有选项且答案为 对/错 为判断；其余为填空。",
        ],
        ["题干", "必填。填空题用 ____（三个以上下划线）或（ ）标出每一个空。"],
        ["选项A–选项H", "选择题填 2–8 个选项，从 A 开始连续填写；判断题、填空题不填选项。"],
        [
            "答案",
            "单选写一个字母，如 B；多选写几个字母，如 AC、A,C、A、C、A C（不分大小写、全角半角、先后顺序）；"
            "判断写 对 或 错（也可写 正确/错误、√/×、✓/✗、T/F、TRUE/FALSE、是/否、1/0）；"
            "填空：各空的答案用 ；或 ; 或 | 分隔，同一空的几种可接受答案用 / 分隔，"
            "例如 中国共产党/党；人民 表示第一空答“中国共产党”或“党”都对，第二空答“人民”。",
        ],
        ["解析", "选填。考试结束后向干警展示。"],
        [
            "分类",
            "分类名称或路径，如 党史教育 或 党史教育/党史学习教育。"
            "留空时使用导入页面（或命令行 --category）选定的分类。"
            "分类不存在时该行报错，除非勾选“自动创建不存在的分类”。",
        ],
        ["难度", "1（易）到 5（难），留空为 3；也可写 易、较易、中、较难、难。"],
        ["来源", "选填，如“应知应会手册 第一章”，最多 200 字。"],
        ["标签", "选填，多个标签用逗号、顿号或空格分隔。"],
        ["合并单元格", "合并单元格的内容视为填入了合并区域的每一行（例如同一分类的几行可以合并成一格）。"],
        ["隐藏行", "隐藏的行照常检查和导入，检查报告会列出这些行号。"],
        [
            "公式",
            "公式单元格取其计算结果；没有计算结果的公式（由程序生成的文件）会报错，"
            "请用 Excel 或 WPS 打开并保存后再上传。",
        ],
        ["数字和日期", "超过 15 位的数字会被 Excel 舍入，请先把该列设为“文本”格式；日期格式的单元格会报错。"],
        ["重复", "与题库中或文件中前面某行题型、题干、选项都相同的题目会跳过，计入“重复”，不会重复导入。"],
        ["导入步骤", "上传后先检查并列出每一行的问题，此时不写入任何数据；确认后导入全部，或只导入正确的行。"],
        [
            "文件格式",
            f".xlsx、旧版 .xls、.ods 或 .csv（UTF-8、带 BOM 的 UTF-8、GBK/GB18030，或 UTF-16 制表符分隔文本），"
            f"也可以是 JSON 或按编号排列题目的 Word（.docx）、文本文件；"
            f"每个文件最多 {max_rows} 行、{max_mb} MB。旧版 Word（.doc）请另存为 .docx。",
        ],
        [
            "其他系统的文件",
            "列名和代码与本模板不同时，检查页可调整各列对应的字段和代码含义，并保存为导入方案，下次直接使用。",
        ],
        ["主观题", "简答、案例分析、问答等主观题不导入，检查时计入“跳过”。"],
    ]


def template_workbook() -> bytes:
    """The blank import template: the 题目 sheet (one example of each type) and 填写说明."""
    return tabular.write_xlsx(
        [("题目", TEMPLATE_HEADERS, TEMPLATE_EXAMPLES), ("填写说明", ["项目", "说明"], _instructions())]
    )


def question_row(question: Question, tree: CategoryTree) -> list:
    """One question as a row of the import template."""
    options = list(question.options) + [""] * (len(LETTERS) - len(question.options))
    category = tree.by_id.get(question.category_id)
    return [
        answer_input.type_word(question.type),
        question.stem,
        *options,
        answers.answer_text(question.type, question.answer),
        question.explanation or "",
        tree.path_name(category) if category is not None else "",
        str(question.difficulty),
        question.source or "",
        "、".join(question.tags or []),
    ]


def export_rows(query) -> list[list]:
    """The rows of the questions a search_questions() query selects, oldest first."""
    tree = CategoryTree()
    query = query.order_by(None).order_by(Question.id)
    return [question_row(question, tree) for question in db.session.scalars(query.execution_options(yield_per=500))]


def export_file(query, fmt: str) -> bytes:
    """The selected questions as .xlsx (string cells only) or .csv (UTF-8 with BOM, formulas neutralised)."""
    return write_rows(export_rows(query), fmt)


def write_rows(rows: list, fmt: str) -> bytes:
    if fmt == "csv":
        return tabular.write_csv(TEMPLATE_HEADERS, rows)
    return tabular.write_xlsx([("题目", TEMPLATE_HEADERS, rows)])


@dataclass
class PocketCardEntry:
    """One question as the pocket card prints it (with its answer: the card is a study aid)."""

    number: int
    question_id: int
    type: QuestionType
    section: str  # the category path, for headings when a card covers subcategories
    stem: str
    options: list = field(default_factory=list)  # [(letter, text, is_correct)]
    answer_text: str = ""
    explanation: str = ""
    source: str = ""

    @property
    def type_label(self):
        return self.type.label


def _answer_display(question: Question) -> str:
    if question.type == QuestionType.TRUE_FALSE:
        return "正确" if question.answer else "错误"
    if question.type == QuestionType.FILL:
        return "；".join(" / ".join(blank) for blank in question.answer)
    return answers.answer_text(question.type, question.answer)


def pocket_card(category: Category) -> list[PocketCardEntry]:
    """The active questions of `category` and its subcategories, by subcategory, then type
    (单选, 多选, 判断, 填空), then age: stem, lettered options, answer text and explanation."""
    tree = CategoryTree()
    position = {c.id: i for i, c in enumerate(tree.categories)}
    subtree = sa.select(Category.id).where(Category.path.startswith(category.path))
    questions = list(
        db.session.scalars(sa.select(Question).where(Question.active.is_(True), Question.category_id.in_(subtree)))
    )
    questions.sort(key=lambda q: (position.get(q.category_id, 0), TYPE_ORDER[q.type], q.id))
    entries = []
    for number, question in enumerate(questions, start=1):
        if question.type == QuestionType.MULTIPLE:
            correct = set(question.answer)
        else:
            correct = {question.answer} if question.type == QuestionType.SINGLE else set()
        entries.append(
            PocketCardEntry(
                number=number,
                question_id=question.id,
                type=question.type,
                section=tree.path_name(tree.by_id[question.category_id]),
                stem=question.stem,
                options=[(letter, text, letter in correct) for letter, text in zip(LETTERS, question.options)],
                answer_text=_answer_display(question),
                explanation=question.explanation or "",
                source=question.source or "",
            )
        )
    return entries

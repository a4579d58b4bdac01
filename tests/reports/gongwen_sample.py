"""A 通报 as the city's committee would issue it, for the 公文 renderer's tests (and to look at:
`python -m tests.reports.gongwen_sample out.docx`)."""

import sys
from datetime import date

from reports.gongwen import OfficialDocument, RecordBlock, Section, Subsection, Table

FAILED = Table(
    header=["序号", "单位", "姓名", "测试", "结果"],
    rows=[
        [str(n), unit, name, "第48周应知应会周测", result]
        for n, (unit, name, result) in enumerate(
            [("东湖区公安分局城关派出所", f"干警{n:02d}", "缺考" if n % 3 else "不合格") for n in range(1, 41)], start=1
        )
    ],
)


def sample() -> OfficialDocument:
    return OfficialDocument(
        issuing_organ="临江市委政法委",
        number="临政法〔2026〕12号",
        red_head=True,
        title="临江市委政法委关于2026年第48周\n应知应会学习测试情况的通报",
        addressees="各区委政法委，市公安局、市检察院、市中级法院、市司法局",
        opening=[
            "为深入推进政法队伍教育整顿应知应会学习，检验学习成效，市委政法委于11月23日至29日组织开展第48周"
            "应知应会周测。现将有关情况通报如下。"
        ],
        sections=[
            Section(
                "总体情况",
                [
                    "本周应参考干警412人，实际参考398人，参考率96.6%；一次合格361人，合格率87.6%；"
                    "含补考合格率92.0%；尚有33人待补考。",
                    Subsection("参考情况", ["东湖区参考率98.1%，西山区参考率95.0%，西山区公安分局参考率未达目标。"]),
                    Subsection("合格情况", ["东湖区合格率90.2%，西山区合格率84.7%。"]),
                ],
            ),
            Section(
                "存在问题",
                ["个别单位组织不力，参考率偏低；部分干警学习不深入，连续两次不合格。以下人员缺考或不合格：", FAILED],
            ),
            Section("下步要求", ["各单位要督促上述人员按时补考、补学，补考不合格的，纳入年终绩效考核。"]),
        ],
        closing=["特此通报。"],
        attachments=["第48周应知应会周测成绩汇总表", "补考安排"],
        signature="临江市委政法委",
        date=date(2026, 12, 7),
        record=RecordBlock(
            copy_to="市委办公室，市纪委监委", printed_by="临江市委政法委办公室", printed_on=date(2026, 12, 7)
        ),
    )


if __name__ == "__main__":
    from reports.gongwen import render_docx

    with open(sys.argv[1], "wb") as fh:
        fh.write(render_docx(sample()))

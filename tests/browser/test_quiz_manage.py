"""[PW] A supervisor builds a weekly test template with two blueprint rows, publishes it and reads
the exam page; an officer opens practice. Screenshots at phone and desktop size go to
artifacts/screenshots/."""

from datetime import timedelta

from core import clock
from core.extensions import db
from question_bank.models import QuestionType
from quiz.closing import close_exam
from quiz.models import Exam, ExamTemplate
from tests.browser.conftest import DESKTOP, open_page, screenshot, sign_in
from tests.factories import TEST_PASSWORD
from tests.quiz.closing_helpers import answer
from tests.quiz.factories import sit_paper, small_bank


def _build_template(page, category_label):
    page.goto("/manage/quiz/templates/new")
    page.fill("input[name=title]", "东区应知应会周测")
    page.select_option("select[name=kind]", "weekly")
    page.fill("input[name=duration_minutes]", "20")
    page.select_option("select[name='rules-0-category_id']", label=category_label)
    page.select_option("select[name='rules-0-type']", "single")
    page.fill("input[name='rules-0-count']", "2")
    page.fill("input[name='rules-0-points']", "30")
    page.click("button[name=add_row]")
    page.wait_for_selector("select[name='rules-1-category_id']")
    page.select_option("select[name='rules-1-category_id']", label=category_label)
    page.select_option("select[name='rules-1-type']", "true_false")
    page.fill("input[name='rules-1-count']", "2")
    page.fill("input[name='rules-1-points']", "20")


def test_supervisor_creates_a_template_publishes_it_and_reads_the_exam(world, browser, phone, live_server):
    category, _ = small_bank(per_type=3)
    desk = open_page(browser, DESKTOP, live_server)
    sign_in(desk, world["east_supervisor"].username, TEST_PASSWORD)
    _build_template(desk, category.name)
    screenshot(desk, "quiz-template-form-desktop")
    desk.click("form.template-form .form-actions button[type=submit]")
    desk.wait_for_selector("text=考试模板已保存")
    db.session.rollback()  # end the test's read snapshot: the server wrote since
    template = ExamTemplate.query.one()
    assert [(r.type, r.count, r.points) for r in template.rules] == [
        (QuestionType.SINGLE, 2, 30),
        (QuestionType.TRUE_FALSE, 2, 20),
    ]
    screenshot(desk, "quiz-template-desktop")
    desk.click("text=发布 >> nth=-1")
    desk.wait_for_selector("text=考试已发布")
    db.session.rollback()
    exam = Exam.query.one()
    assert world["east_officer"].full_name in desk.inner_text("table.exam-officers")
    screenshot(desk, "quiz-exam-open-desktop")

    # A closed exam with a failure and an absentee, as the supervisor sees it on the phone.
    attempt = sit_paper(exam, world["east_officer"])
    answer(attempt, wrong_positions=(1, 2, 3))
    close_exam(exam, clock.now() + timedelta(minutes=1))
    db.session.commit()
    sign_in(phone, world["east_supervisor"].username, TEST_PASSWORD)
    phone.goto(f"/manage/quiz/exams/{exam.id}")
    assert "缺考" in phone.inner_text("main") and "不合格" in phone.inner_text("main")
    screenshot(phone, "quiz-exam-closed-phone")
    phone.goto(f"/manage/quiz/templates/{template.id}/edit")
    screenshot(phone, "quiz-template-form-phone")
    phone.goto("/")
    screenshot(phone, "quiz-workbench-phone")
    phone.goto("/manage/quiz/exams")
    screenshot(phone, "quiz-exams-phone")
    phone.goto("/manage/quiz/templates")
    screenshot(phone, "quiz-templates-phone")
    desk.goto(f"/manage/quiz/attempts/{attempt.id}")
    screenshot(desk, "quiz-attempt-desktop")
    assert desk.watcher.errors == [] and phone.watcher.errors == []
    assert desk.external_requests == [] and phone.external_requests == []
    desk.context.close()


def test_officer_practises_on_the_phone(world, phone):
    small_bank(per_type=3)
    sign_in(phone, world["east_officer"].username, TEST_PASSWORD)
    phone.click("nav.tabbar >> text=练习")
    phone.wait_for_url("**/practice/")
    screenshot(phone, "practice-home-phone")
    phone.click("text=每日一练 >> nth=-1")
    phone.click("text=开始")
    phone.locator(".practice-option, .practice-blanks input").first.click()
    if phone.locator(".practice-blanks input").count():
        phone.fill(".practice-blanks input >> nth=0", "党")
    phone.click("button:has-text('提交答案')")
    phone.wait_for_selector(".practice-feedback")
    screenshot(phone, "practice-question-phone")
    assert phone.watcher.errors == []

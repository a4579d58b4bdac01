"""[PW] 补课过关 on a phone: an officer who failed the week's test finds the retake first on the home
page with its deadline and what make-up study remains, practises each wrong question until it is
right, studies the reading of a weak category, and can then start the retake. Screenshots of the
home, the make-up page and the failed result at phone and desktop size, and of the jobs page with
a test held after downtime."""

from datetime import timedelta

from playwright.sync_api import expect

from core import clock
from core.extensions import db
from question_bank.models import QuestionType
from quiz.closing import close_exam
from quiz.models import WrongAnswer
from quiz.schedule import publish_due_exams
from tests.browser.conftest import DESKTOP, PHONE, open_page, screenshot, sign_in
from tests.factories import TEST_PASSWORD
from tests.question_bank.factories import CategoryFactory, QuestionFactory
from tests.quiz.closing_helpers import answer
from tests.quiz.factories import make_template, publish, sit_paper
from tests.study.factories import ReadingFactory


def _failed_week(world):
    category = CategoryFactory(name="政治教育")
    for n in range(6):
        QuestionFactory(
            category=category,
            stem=f"第{n + 1}题：政法队伍的根本政治属性是什么？",
            options=["对党忠诚", "服务大局", "执法为民", "公正司法"],
            answer="A",
        )
    ReadingFactory(unit=world["east"], title="政法队伍教育整顿应知应会（一）", category=category)
    template = make_template(world["east"], category, rules=[(QuestionType.SINGLE, 5, 20)], retake_days=3)
    exam = publish(template, open_for=timedelta(hours=2))
    attempt = sit_paper(exam, world["east_officer"])
    answer(attempt, wrong_positions=(1, 2, 3))
    close_exam(exam, clock.now())  # the supervisor closes it: graded, flagged, the retake open
    db.session.commit()
    return exam, attempt


def test_an_officer_makes_up_and_then_starts_the_retake(world, browser, phone, live_server):
    exam, attempt = _failed_week(world)
    sign_in(phone, world["east_officer"].username, TEST_PASSWORD)
    retake_card = phone.locator("section.retake-first")
    expect(retake_card).to_contain_text("补考")
    expect(retake_card).to_contain_text("3 道错题")
    expect(retake_card).to_contain_text("1 篇必学篇目")
    assert phone.locator("section.card").first.get_attribute("class").count("retake-first")  # first on the page
    screenshot(phone, "makeup-home-phone")

    phone.goto(f"/attempts/{attempt.id}")
    expect(phone.locator(".next-steps")).to_contain_text("补课")
    screenshot(phone, "result-failed-phone")

    phone.goto("/")
    phone.click("section.retake-first >> text=去补课")
    phone.wait_for_url("**/study/makeup")
    screenshot(phone, "makeup-page-phone")
    for _ in range(3):
        phone.locator(".makeup-list li:not(.done) >> text=开始练习").first.click()
        phone.click("label.practice-option:has-text('对党忠诚')")
        phone.click("text=提交答案")
        expect(phone.locator(".practice-feedback")).to_contain_text("答对了")
        phone.goto("/study/makeup")
    assert WrongAnswer.query.filter_by(user_id=world["east_officer"].id).count() == 3
    phone.click(".makeup-list li:not(.done) >> text=去学习")
    phone.click("text=本篇已重新学习")
    phone.wait_for_url("**/study/makeup")
    expect(phone.locator("section.makeup")).to_contain_text("已完成")
    screenshot(phone, "makeup-done-phone")

    phone.click("text=去参加补考")
    phone.wait_for_url("**/exams")
    first = phone.locator("li.exam-card").first
    expect(first).to_contain_text("补考")
    first.locator("text=开始答题").click()
    phone.wait_for_url("**/take")
    phone.on("dialog", lambda dialog: dialog.accept())
    phone.click("[data-start]")
    expect(phone.locator(".question")).to_have_count(1)
    assert phone.watcher.errors == [] and phone.external_requests == []

    desktop = open_page(browser, DESKTOP, live_server)
    sign_in(desktop, world["east_officer2"].username, TEST_PASSWORD)  # absent: every category's reading
    desktop.goto("/study/makeup")
    screenshot(desktop, "makeup-page-desktop")
    desktop.goto("/")
    screenshot(desktop, "makeup-home-desktop")
    desktop.context.close()


def test_the_jobs_page_offers_a_test_held_after_downtime(world, browser, live_server):
    category = CategoryFactory(name="党史教育")
    for n in range(3):
        QuestionFactory(
            category=category, stem=f"党史题{n}：中国共产党成立于哪一年？", options=["1921", "1949"], answer="A"
        )
    make_template(
        world["city"],
        category,
        rules=[(QuestionType.SINGLE, 2, 50)],
        title="应知应会周测",
        recurrence="weekly",
        open_weekday=0,
        open_time="08:00",
        close_weekday=6,
        close_time="20:00",
        recurs_from=clock.now() - timedelta(weeks=3),
    )
    publish_due_exams(clock.now())  # the scheduler, back after three weeks: the past weeks are held
    db.session.commit()
    for size, name in ((PHONE, "phone"), (DESKTOP, "desktop")):
        page = open_page(browser, size, live_server)
        sign_in(page, world["admin"].username, TEST_PASSWORD)
        page.goto("/admin/jobs/")
        held = page.locator("#missed .missed-period")
        assert held.count() >= 2
        expect(held.first).to_contain_text("按此时间发布")
        screenshot(page, f"jobs-held-{name}")
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
        page.context.close()

"""[PW] E19: an officer takes a weekly test on a phone (390x844): answers, reloads mid-way without
losing answers, goes offline and back, submits and sees the result; a second test lets the time
run out and sees the auto-submitted result. Screenshots at phone and desktop size."""

from datetime import timedelta

import pytest
from playwright.sync_api import expect

from core.extensions import db
from question_bank.models import QuestionType
from quiz.models import Attempt, PaperItem
from tests.browser.conftest import DESKTOP, open_page, screenshot, sign_in
from tests.factories import TEST_PASSWORD
from tests.quiz.factories import make_template, publish, small_bank
from tests.quiz.helpers import right_answer

PHONE_390 = {"width": 390, "height": 844}


def _paper(user):
    db.session.rollback()
    attempt = db.session.query(Attempt).filter_by(user_id=user.id).order_by(Attempt.id.desc()).first()
    items = db.session.query(PaperItem).filter_by(attempt_id=attempt.id).order_by(PaperItem.position).all()
    return attempt, [(item.id, QuestionType(item.question_version.type), right_answer(item.id)) for item in items]


def _answer(page, position, qtype, answer):
    """Open question `position` from the answer sheet and give `answer` (displayed letters)."""
    page.click(f"[data-grid] .box >> nth={position - 1}")
    card = page.locator(".question").first
    expect(card.locator(".question-no")).to_have_text(f"第 {position} 题")
    if qtype == QuestionType.SINGLE:
        card.locator(f"label.option:has(input[value='{answer}'])").click()
    elif qtype == QuestionType.MULTIPLE:
        for letter in answer:
            card.locator(f"label.option:has(input[value='{letter}'])").click()
    elif qtype == QuestionType.TRUE_FALSE:
        card.locator(f"label.option:has(input[value='{'true' if answer else 'false'}'])").click()
    else:
        for index, text in enumerate(answer):
            card.locator(".blank input").nth(index).fill(text)
        card.locator(".blank input").last.press("Tab")


def _saved(page):
    expect(page.locator("[data-save-status]")).to_have_text("答案已全部保存", timeout=10000)


def _stored(item_id):
    db.session.rollback()
    return db.session.get(PaperItem, item_id).response


def test_officer_takes_a_weekly_test_on_a_phone(world, browser, live_server):
    category, _ = small_bank()
    exam = publish(make_template(world["east"], category, title="第四十八周应知应会周测"))
    officer = world["east_officer"]
    phone = open_page(browser, PHONE_390, live_server)
    phone.on("dialog", lambda dialog: dialog.accept())
    sign_in(phone, officer.username, TEST_PASSWORD)
    expect(phone.locator(".quiz-panel-home")).to_contain_text("第四十八周应知应会周测")
    screenshot(phone, "quiz-home-phone")
    phone.click(".quiz-panel-home >> text=开始答题")
    screenshot(phone, "quiz-intro-phone")
    phone.click("[data-start]")
    expect(phone.locator(".question")).to_have_count(1)
    attempt, paper = _paper(officer)
    assert len(paper) == 5

    for position in (1, 2):
        _answer(phone, position, *paper[position - 1][1:])
    _saved(phone)
    screenshot(phone, "quiz-question-phone")

    phone.reload()  # mid-way: the paper, the answers and the clock come back from the server
    expect(phone.locator(".question")).to_have_count(1)
    expect(phone.locator("[data-grid] .box.answered")).to_have_count(2)
    assert phone.locator("[data-progress]").inner_text() == "已答 2 / 5"

    phone.context.set_offline(True)
    _answer(phone, 3, *paper[2][1:])
    expect(phone.locator("[data-save-status]")).to_contain_text("离线")
    assert _stored(paper[2][0]) is None
    screenshot(phone, "quiz-offline-phone")
    phone.context.set_offline(False)
    phone.evaluate("window.dispatchEvent(new Event('online'))")
    _saved(phone)
    assert _stored(paper[2][0]) is not None

    for position in (4, 5):
        _answer(phone, position, *paper[position - 1][1:])
    _saved(phone)
    phone.click("[data-mode]")  # all on one page, remembered
    expect(phone.locator(".question")).to_have_count(5)
    phone.locator("[data-panel]").scroll_into_view_if_needed()
    screenshot(phone, "quiz-all-phone")

    desktop = open_page(browser, DESKTOP, live_server)
    sign_in(desktop, officer.username, TEST_PASSWORD)
    desktop.goto(f"/exams/{exam.id}/take")
    expect(desktop.locator("[data-grid] .box.answered")).to_have_count(5)
    screenshot(desktop, "quiz-take-desktop")
    desktop.context.close()

    phone.click("[data-submit]")
    expect(phone.locator("[data-result]")).to_be_visible(timeout=15000)
    assert phone.locator("[data-score]").inner_text() == "100"
    assert phone.locator("[data-verdict]").inner_text() == "合格"
    screenshot(phone, "quiz-result-phone")
    phone.click("text=返回我的测试")
    expect(phone.locator(".exam-card")).to_contain_text("合格")
    screenshot(phone, "quiz-my-exams-phone")
    db.session.rollback()
    assert db.session.get(Attempt, attempt.id).score == 100.0
    # The saves tried while offline fail as they should; nothing else may.
    assert [e for e in phone.watcher.errors if "ERR_INTERNET_DISCONNECTED" not in e] == []
    phone.context.close()


def test_the_time_runs_out_and_the_test_submits_itself(world, browser, live_server):
    category, _ = small_bank()
    # The exam closes 15 s after it opens, so the attempt's deadline comes quickly.
    exam = publish(make_template(world["east"], category), open_for=timedelta(seconds=15))
    officer = world["east_officer"]
    phone = open_page(browser, PHONE_390, live_server)
    sign_in(phone, officer.username, TEST_PASSWORD)
    phone.goto(f"/exams/{exam.id}/take")
    phone.click("[data-start]")
    expect(phone.locator(".question")).to_have_count(1)
    attempt, paper = _paper(officer)
    _answer(phone, 1, *paper[0][1:])
    _saved(phone)
    screenshot(phone, "quiz-countdown-phone")
    expect(phone.locator("[data-result]")).to_be_visible(timeout=30000)
    assert phone.locator("[data-score]").inner_text() == "20"
    assert phone.locator("[data-verdict]").inner_text() == "不合格"
    expect(phone.locator("[data-reason]")).to_contain_text("自动")
    screenshot(phone, "quiz-timed-out-phone")
    db.session.rollback()
    finished = db.session.get(Attempt, attempt.id)
    assert finished.finished_at is not None and finished.score == 20.0
    assert phone.watcher.errors == []
    phone.context.close()


def test_a_failed_save_is_retried_and_an_expired_sign_in_keeps_the_answer_until_signing_in_again(
    world, browser, live_server
):
    """E3 (the queue retries after a 5xx) and E17 (after a 401 the answer waits; once the officer
    signs in again in another tab it is sent, through a refreshed CSRF token)."""
    category, _ = small_bank()
    exam = publish(make_template(world["east"], category))
    officer = world["east_officer"]
    phone = open_page(browser, PHONE_390, live_server)
    sign_in(phone, officer.username, TEST_PASSWORD)
    phone.goto(f"/exams/{exam.id}/take")
    phone.click("[data-start]")
    expect(phone.locator(".question")).to_have_count(1)
    _attempt, paper = _paper(officer)

    failures = []

    def fail_once(route):
        if not failures:
            failures.append(route.request.url)
            return route.fulfill(status=500, content_type="application/json", body='{"error": "server_error"}')
        return route.continue_()

    phone.route("**/answers/**", fail_once)
    _answer(phone, 1, *paper[0][1:])
    _saved(phone)  # retried after the 500
    assert len(failures) == 1 and _stored(paper[0][0]) is not None
    phone.unroute("**/answers/**")

    phone.context.clear_cookies()  # the sign-in expires mid-test
    _answer(phone, 2, *paper[1][1:])
    expect(phone.locator("[data-alert]")).to_contain_text("登录已过期")
    expect(phone.locator("[data-alert] a")).to_have_text("重新登录")
    screenshot(phone, "quiz-signed-out-phone")
    assert _stored(paper[1][0]) is None

    other_tab = phone.context.new_page()
    sign_in(other_tab, officer.username, TEST_PASSWORD)
    other_tab.close()
    phone.evaluate("window.dispatchEvent(new Event('focus'))")
    _saved(phone)
    assert _stored(paper[1][0]) is not None
    expected = ("500", "401", "400")  # the injected failure, the expired sign-in, the stale CSRF token
    assert [e for e in phone.watcher.errors if not any(code in e for code in expected)] == []
    phone.context.close()


@pytest.mark.parametrize("app", [{"WTF_CSRF_TIME_LIMIT": 3}], indirect=True)
def test_a_page_open_longer_than_the_csrf_token_lives_still_saves_and_submits(world, browser, live_server):
    """E16 in the browser: the token in the page expires; Yingzhi.api fetches a fresh one on the
    csrf_failed reply and resends, so the answer and the submit go through."""
    category, _ = small_bank()
    exam = publish(make_template(world["east"], category))
    officer = world["east_officer"]
    phone = open_page(browser, PHONE_390, live_server)
    phone.on("dialog", lambda dialog: dialog.accept())
    sign_in(phone, officer.username, TEST_PASSWORD)
    phone.goto(f"/exams/{exam.id}/take")
    phone.click("[data-start]")
    expect(phone.locator(".question")).to_have_count(1)
    _attempt, paper = _paper(officer)
    refused = []
    phone.on("response", lambda r: r.status == 400 and "/answers/" in r.url and refused.append(r.url))
    phone.wait_for_timeout(4000)  # the page's token is now older than the limit
    _answer(phone, 1, *paper[0][1:])
    _saved(phone)
    assert refused and _stored(paper[0][0]) is not None
    phone.wait_for_timeout(4000)
    phone.click("[data-submit]")
    expect(phone.locator("[data-result]")).to_be_visible(timeout=15000)
    assert phone.locator("[data-score]").inner_text() == "20"
    phone.context.close()

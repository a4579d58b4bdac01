"""[PW] The pages issue 16 changed, at 390 px and 1280 px: each export button is on its page and
fits, the page does not scroll sideways at 390 px, the words read as meant, and no script fails.
Screenshots go to artifacts/screenshots/pages-*.png."""

from datetime import UTC, datetime

import pytest

from core import clock
from core.extensions import db
from quiz.models import ExamKind, Recurrence
from study import spotchecks
from tests.browser.conftest import screenshot, sign_in
from tests.factories import TEST_PASSWORD
from tests.quiz.closing_helpers import answer
from tests.quiz.factories import make_template, publish, sit_paper, small_bank
from tests.study.factories import CheckInFactory, ReadingFactory, StudySessionFactory

pytestmark = pytest.mark.browser
SIZES = {"390": {"width": 390, "height": 844}, "1280": {"width": 1280, "height": 800}}


@pytest.fixture
def pages(world, frozen_clock):
    """A little of everything the changed pages show, in the east district."""
    frozen_clock.set(datetime(2026, 11, 23, 2, 0, tzinfo=UTC))  # Monday 10:00
    category, _ = small_bank()
    weekly = make_template(
        world["east"], category, title="东湖区应知应会周测", recurrence=Recurrence.WEEKLY, open_weekday=0,
        close_weekday=6, open_time="08:00", close_time="20:00", recurs_from=clock.now(),
    )  # fmt: skip
    exam = publish(weekly, title="东湖区第48周应知应会周测")
    contest = publish(make_template(world["east"], category, kind=ExamKind.CONTEST, title="知识竞赛"))
    answer(sit_paper(contest, world["east_officer"]))
    session = StudySessionFactory(unit=world["east"], title="集中学习：政法英模事迹报告")
    CheckInFactory(user=world["east_officer"], minutes=130)
    CheckInFactory(user=world["east_officer2"], minutes=60)
    reading = ReadingFactory(unit=world["east"], title="政法干警核心价值观")
    check = spotchecks.draw_spot_check(
        world["east_supervisor"], unit=world["east"], from_day=clock.today(), to_day=clock.today(), size=2,
        now=clock.now(),
    )  # fmt: skip
    db.session.commit()
    return {
        "supervisor": [
            ("sessions", "/manage/study/sessions", True),
            ("attendance", f"/manage/study/sessions/{session.id}", True),
            ("checkins", "/manage/study/checkins?period=week", True),
            ("warnings", "/manage/study/warnings", True),
            ("readings", "/manage/study/readings", True),
            ("reading", f"/manage/study/readings/{reading.id}", True),
            ("spotchecks", "/manage/study/spotchecks", True),
            ("spotcheck", f"/manage/study/spotchecks/{check.id}", True),
            ("people", "/admin/people/", True),
            ("bulletins", "/reports/bulletins/", True),
            ("leaderboard", f"/manage/quiz/exams/{contest.id}/leaderboard", True),
            ("exam", f"/manage/quiz/exams/{exam.id}", False),
            ("exams", "/manage/quiz/exams", False),
            ("template", f"/manage/quiz/templates/{weekly.id}", False),
            ("templates", "/manage/quiz/templates", False),
        ],
        "officer": [
            ("my-tests", "/exams", False),
            ("my-leaderboard", f"/exams/{contest.id}/leaderboard", False),
            ("checkin", "/study/checkin", False),
        ],
        "exam": exam,
    }


def confirm(page, button):
    """Press a button that asks "are you sure?", and say yes."""
    page.once("dialog", lambda dialog: dialog.accept())
    page.click(f"button:has-text('{button}')")
    page.wait_for_load_state("networkidle")


@pytest.mark.parametrize("size", SIZES)
def test_changed_pages_fit_and_offer_their_exports(world, open_at, pages, size):
    viewport = SIZES[size]
    for role, user in (("supervisor", world["east_supervisor"]), ("officer", world["east_officer"])):
        page = open_at(viewport)
        sign_in(page, user.username, TEST_PASSWORD)
        for name, path, exports in pages[role]:
            page.goto(path)
            page.wait_for_load_state("networkidle")
            screenshot(page, f"pages-{name}-{size}")
            assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"], (
                f"{name} scrolls sideways"
            )
            if exports:
                button = page.locator(".page-head a.btn[download]", has_text="导出Excel")
                assert button.count() == 1 and button.is_visible(), name
                box = button.bounding_box()
                assert box["x"] >= 0 and box["x"] + box["width"] <= viewport["width"], name
        assert page.watcher.errors == [] and page.external_requests == []

    page = open_at(viewport)
    sign_in(page, world["east_supervisor"].username, TEST_PASSWORD)
    page.goto(f"/manage/quiz/exams/{pages['exam'].id}")
    confirm(page, "撤回")
    assert "测试已撤回" in page.inner_text("main")
    screenshot(page, f"pages-exam-withdrawn-{size}")
    page.goto(f"/manage/quiz/templates/{pages['exam'].template_id}")
    confirm(page, "暂停")
    assert "已暂停：恢复之前，此模板不发布任何测试。" in page.inner_text("main")
    screenshot(page, f"pages-template-paused-{size}")
    page.click("button:has-text('恢复')")
    page.wait_for_load_state("networkidle")
    assert "模板已恢复" in page.inner_text("main")

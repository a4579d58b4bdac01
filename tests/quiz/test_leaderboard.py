"""Contest leaderboards: an officer sees the ranking of their own unit (it was a 403), a supervisor
sees and exports their part of it with the page's ranks, scores and times."""

from datetime import timedelta

from core import clock
from core.extensions import db
from quiz import closing
from quiz.models import ExamKind
from quiz.results import finish_attempt
from tests.factories import UserFactory
from tests.quiz.closing_helpers import answer
from tests.quiz.factories import make_template, publish, sit_paper, small_bank
from tests.support.sheets import as_dicts, page_tables, workbook


def _finish(exam, user, minutes, wrong=()):
    attempt = sit_paper(exam, user)
    answer(attempt, wrong_positions=wrong)
    finish_attempt(attempt, finished_at=clock.now() + timedelta(minutes=minutes), reason=closing.FinishReason.SUBMITTED)
    db.session.commit()


def _contest(world):
    colleague = UserFactory(username="s-colleague", full_name="同所同事", unit=world["east_station"])
    category, _ = small_bank()
    exam = publish(make_template(world["city"], category, kind=ExamKind.CONTEST, title="知识竞赛"))
    exam.category = category  # for tests that publish more from the same bank
    _finish(exam, world["east_officer"], 5)
    _finish(exam, colleague, 4, wrong=(1,))
    _finish(exam, world["east_officer2"], 3)  # another unit: the court
    _finish(exam, world["west_officer"], 2)
    return exam, colleague


def test_an_officer_sees_the_contest_ranking_of_their_unit(world, login_as, frozen_clock):
    exam, colleague = _contest(world)
    officer = login_as(world["east_officer"])
    mine = officer.get("/exams").get_data(as_text=True)
    assert f'href="/exams/{exam.id}/leaderboard"' in mine
    page = officer.get(f"/exams/{exam.id}/leaderboard")
    (table,) = page_tables(page)
    assert [row[:2] for row in table[1:]] == [["1", world["east_officer"].full_name], ["2", colleague.full_name]]
    name = world["east_officer"].full_name
    own_row = f'<tr class="podium me" aria-current="true">\n    <td class="num">1</td><td>{name}<'
    assert own_row in page.get_data(as_text=True)
    assert world["east_officer2"].full_name not in page.get_data(as_text=True)  # the court is not their unit


def test_the_leaderboard_is_only_for_the_contest_s_officers(world, login_as, frozen_clock):
    exam, _colleague = _contest(world)
    category = exam.category
    weekly = publish(make_template(world["east"], category))
    east_only = publish(make_template(world["east"], category, kind=ExamKind.CONTEST, title="东区竞赛"))
    west = login_as(world["west_officer"])
    assert west.get(f"/exams/{east_only.id}/leaderboard").status_code == 404  # not their contest
    assert west.get(f"/exams/{weekly.id}/leaderboard").status_code == 404  # not a contest
    assert west.get(f"/exams/{exam.id}/leaderboard").status_code == 200


def test_a_supervisor_exports_the_leaderboard_as_the_page_ranks_it(world, login_as, frozen_clock):
    exam, colleague = _contest(world)
    supervisor = login_as(world["east_supervisor"])
    (table,) = page_tables(supervisor.get(f"/manage/quiz/exams/{exam.id}/leaderboard"))
    rows = as_dicts(workbook(supervisor.get(f"/manage/quiz/exams/{exam.id}/leaderboard.xlsx"))["排行榜"])
    assert [[str(r["名次"]), r["干警"], r["单位"], f"{r['得分']:g}", r["用时"]] for r in rows] == table[1:]
    assert [r["干警"] for r in rows] == [
        world["east_officer2"].full_name,
        world["east_officer"].full_name,
        colleague.full_name,
    ]
    assert rows[0]["用时（秒）"] == 180 and rows[0]["警号"] == world["east_officer2"].username
    assert login_as(world["east_officer"]).get(f"/manage/quiz/exams/{exam.id}/leaderboard.xlsx").status_code == 403
    west = login_as(world["west_supervisor"]).get(f"/manage/quiz/exams/{exam.id}/leaderboard.xlsx")
    assert [r["干警"] for r in as_dicts(workbook(west)["排行榜"])] == [world["west_officer"].full_name]

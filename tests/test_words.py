"""Words in their context, on the pages themselves: one English word, a Chinese word per meaning
(the catalog check is tests/test_i18n.py), and plurals in English."""

import io

import openpyxl

from study.models import StudyMethod
from tests.quiz.factories import make_template, publish, small_bank
from tests.study.factories import CheckInFactory


def test_check_in_asks_how_one_studied_and_the_jobs_page_how_a_job_was_triggered(world, login_as, frozen_clock):
    officer = login_as(world["east_officer"])
    form = officer.get("/study/checkin").get_data(as_text=True)
    assert "学习方式" in form and "触发方式" not in form
    CheckInFactory(user=world["east_officer"], method=StudyMethod.CENTRALIZED)
    done = officer.get("/study/checkin").get_data(as_text=True)
    assert "学习方式" in done and "触发方式" not in done
    jobs = login_as(world["admin"]).get("/admin/jobs/").get_data(as_text=True)
    assert "触发方式" in jobs and "学习方式" not in jobs


def test_an_open_test_reads_as_open_not_as_a_button(world, login_as, frozen_clock):
    category, _questions = small_bank()
    exam = publish(make_template(world["east"], category))
    mine = login_as(world["east_officer"]).get("/exams").get_data(as_text=True)
    assert '<span class="badge good">进行中</span>' in mine and ">查看<" not in mine
    managed = login_as(world["east_supervisor"]).get("/manage/quiz/exams").get_data(as_text=True)
    assert exam.title in managed and '<span class="badge good">进行中</span>' in managed


def test_the_people_menu_and_a_count_of_people_are_different_words(world, login_as, frozen_clock):
    category, _questions = small_bank()
    exam = publish(make_template(world["east"], category))
    supervisor = login_as(world["east_supervisor"])
    assert "<title>人员管理" in supervisor.get("/admin/people/").get_data(as_text=True)
    workbook = openpyxl.load_workbook(io.BytesIO(supervisor.get(f"/reports/exams/{exam.id}.xlsx").data))
    assert [cell.value for cell in workbook.worksheets[-1][1]] == ["得分", "人数"]


def test_a_streak_of_one_day_is_singular_in_english(world, login_as, frozen_clock):
    officer = login_as(world["east_officer"])
    officer.post("/language", data={"lang": "en", "next": "/"})
    CheckInFactory(user=world["east_officer"])
    page = officer.get("/study/checkin").get_data(as_text=True)
    assert "1 day in a row" in page and "1 days" not in page
    officer.post("/language", data={"lang": "zh_CN", "next": "/"})
    assert "连续 1 天" in officer.get("/study/checkin").get_data(as_text=True)

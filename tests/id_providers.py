"""Ids for the route-walking access tests (tests/test_access_control.py).

east_ids(world): for every URL argument name, an id of something that belongs to the east
district (its units, people, and what they own). colleague_ids(world): the same, but owned by
another officer of the east district than world["east_officer"]. Each feature adds its
arguments here when it adds routes with new argument names.
"""

from datetime import timedelta

from accounts import devices
from core import clock
from core.extensions import db
from notices import services as notices
from notices.models import Notice
from question_bank import services as bank
from question_bank.models import QuestionType
from quiz.models import WrongAnswer
from reports import bulletins as reports_bulletins
from study import leave, spotchecks
from tests.study.factories import CheckInFactory, ReadingFactory, StudySessionFactory


def _notice_for(user):
    notices.notify([user.id], kind="test", title="Test notice", now=clock.now())
    db.session.commit()
    return db.session.query(Notice).filter_by(user_id=user.id).order_by(Notice.id.desc()).first().id


def _device_for(user):
    """A remembered device of `user`."""
    device, _token = devices.remember_device(user, now=clock.now(), days=90, user_agent="access test")
    db.session.commit()
    return device.id


def _study_ids(officer, unit):
    """A reading, a session, a leave request, a check-in spot-check of `officer`'s unit `unit`."""
    reading = ReadingFactory(unit=unit)
    session = StudySessionFactory(unit=unit, starts_at=clock.now() + timedelta(days=1))
    leave_request = leave.request_leave(officer, session, "家中有事，申请请假。", clock.now())
    CheckInFactory(user=officer)
    spot_check = spotchecks.draw_spot_check(
        None, unit=unit, from_day=clock.today(), to_day=clock.today(), size=5, now=clock.now()
    )
    db.session.commit()
    return {
        "reading_id": reading.id,
        "session_id": session.id,
        "leave_id": leave_request.id,
        "spotcheck_id": spot_check.id,
        "sample_id": spot_check.items[0].id,
    }


def _bank_ids():
    """A category and a question. The bank is city-wide: the same ids serve every district."""
    category = bank.create_category(None, name="访问测试分类", now=clock.now())
    question = bank.create_question(
        None, category=category, type=QuestionType.TRUE_FALSE, stem="访问测试题。", answer=True, now=clock.now()
    )
    db.session.commit()
    return {"category_id": category.id, "question_id": question.id}


def _quiz_ids(officer, unit, *, only_officer=False):
    """A test template and an exam of `unit`'s district, and `officer`'s attempt at it (in
    progress) with one of its paper items. With `only_officer`, the exam is assigned to `officer`
    alone (so no one else may open it)."""
    from tests.quiz.factories import make_template, publish, sit_paper, small_bank

    category, _ = small_bank(per_type=2, category=None)
    template = make_template(unit, category, title=f"访问测试周测{officer.id}")
    exam = publish(template, user_ids=[officer.id] if only_officer else None)
    attempt = sit_paper(exam, officer)
    return {"template_id": template.id, "exam_id": exam.id, "attempt_id": attempt.id, "item_id": attempt.items[0].id}


def _wrong_answer_for(user, question_id):
    """An entry of `user`'s wrong-answer book."""
    entry = WrongAnswer(user_id=user.id, question_id=question_id, first_wrong_at=clock.now(), last_wrong_at=clock.now())
    db.session.add(entry)
    db.session.commit()
    return entry.id


def _missed_id(template_id):
    """A test period the scheduler held (missed) for the template."""
    from quiz.missed_models import MissedPeriod, MissedReason

    now = clock.now()
    missed = MissedPeriod(
        template_id=template_id,
        period_key=f"2020-W{template_id % 50 + 1:02d}",
        opens_at=now - timedelta(days=9),
        closes_at=now - timedelta(days=3),
        reason=MissedReason.WINDOW_PASSED,
        found_at=now,
    )
    db.session.add(missed)
    db.session.commit()
    return missed.id


def _bulletin_id(unit):
    """A published bulletin of `unit` (readable by the people in it, managed by its supervisors)."""
    bulletin = reports_bulletins.draft_bulletin(None, unit, clock.week_start(clock.today()), clock.now())
    reports_bulletins.publish_bulletin(None, bulletin, clock.now())
    db.session.commit()
    return bulletin.id


def _inspection_ids(actor, unit):
    """An inspection of `unit` with one open finding, recorded by `actor` (None: the system)."""
    from appraisal import inspections
    from appraisal.models import InspectionKind

    inspection = inspections.record_inspection(
        actor,
        unit,
        day=clock.today(),
        kind=InspectionKind.RANDOM,
        inspectors="访问测试督查组",
        checked="学习笔记",
        findings=[("访问测试发现的问题", clock.today() + timedelta(days=7))],
        now=clock.now(),
    )
    db.session.commit()
    return {"inspection_id": inspection.id, "finding_id": inspection.findings[0].id}


def east_ids(world):
    return {
        "unit_id": world["east_station"].id,
        "user_id": world["east_officer"].id,
        "device_id": _device_for(world["east_officer"]),
        "notice_id": _notice_for(world["east_officer"]),
        "job_name": "housekeeping",
        **_study_ids(world["east_officer"], world["east_station"]),
        "day": clock.today().isoformat(),
        **(bank := _bank_ids()),
        "wrong_id": _wrong_answer_for(world["east_officer"], bank["question_id"]),
        **(quiz := _quiz_ids(world["east_officer"], world["east"])),
        "missed_id": _missed_id(quiz["template_id"]),
        "bulletin_id": _bulletin_id(world["east"]),
        **_inspection_ids(None, world["east_station"]),
    }


def colleague_ids(world):
    return {
        "unit_id": world["east_court"].id,
        "user_id": world["east_officer2"].id,
        "device_id": _device_for(world["east_officer2"]),
        "notice_id": _notice_for(world["east_officer2"]),
        "job_name": "housekeeping",
        **_study_ids(world["east_officer2"], world["east_court"]),
        # A check-in is addressed by day and is always the caller's own: there is no colleague's
        # day to try, so the route is walked with a day that does not exist (404).
        "day": "0000-00-00",
        **(bank := _bank_ids()),
        "wrong_id": _wrong_answer_for(world["east_officer2"], bank["question_id"]),
        # An exam assigned to the colleague alone, and the colleague's attempt at it.
        **(quiz := _quiz_ids(world["east_officer2"], world["east"], only_officer=True)),
        "missed_id": _missed_id(quiz["template_id"]),
        # A bulletin of the colleague's unit, which the officer's own unit is not part of.
        "bulletin_id": _bulletin_id(world["east_court"]),
        # An inspection of the colleague's unit (officers open no inspection at all).
        **_inspection_ids(None, world["east_court"]),
    }

"""Study reminders posted by the scheduler: a session tomorrow, no check-in yesterday. Each is
posted once however often the job runs."""

from datetime import timedelta

import sqlalchemy as sa

from core import clock
from core.extensions import db
from notices.models import Notice
from study import reminders, sessions
from study.models import SessionKind


def notices_of(kind):
    db.session.rollback()
    return db.session.scalars(sa.select(Notice).where(Notice.kind == kind)).all()


def test_a_session_tomorrow_is_announced_once_to_everyone_in_scope(world, frozen_clock):
    now = frozen_clock.now
    tomorrow_10 = clock.local_datetime(clock.local(now).date() + timedelta(days=1), clock.local(now).time())
    sessions.schedule_session(
        world["east_supervisor"],
        kind=SessionKind.PARTY_LECTURE,
        title="专题党课",
        unit=world["east"],
        starts_at=tomorrow_10,
        ends_at=tomorrow_10 + timedelta(hours=2),
        place="三楼会议室",
        now=now,
    )
    db.session.commit()
    assert reminders.post_session_reminders(now) == 2  # the two east officers, not the west one
    db.session.commit()
    assert reminders.post_session_reminders(now + timedelta(hours=1)) == 0
    db.session.commit()
    posted = notices_of("study.session_tomorrow")
    assert {n.user_id for n in posted} == {world["east_officer"].id, world["east_officer2"].id}
    assert posted[0].params["title"] == "专题党课"


def test_officers_without_a_check_in_yesterday_are_reminded_once(world, frozen_clock, login_as):
    from study import checkins
    from study.models import StudyMethod

    yesterday = clock.today() - timedelta(days=1)
    checkins.save_checkin(
        world["east_officer"],
        day=yesterday,
        minutes=120,
        method=StudyMethod.SELF,
        reading_ids=[],
        notes="学习了《中国共产党纪律处分条例》，体会很深，收获很大。" * 2,
        now=frozen_clock.now,
    )
    db.session.commit()
    first = reminders.post_checkin_reminders(frozen_clock.now)
    db.session.commit()
    again = reminders.post_checkin_reminders(frozen_clock.now)
    db.session.commit()
    reminded = {n.user_id for n in notices_of("study.checkin_missing")}
    assert first == 2 and again == 0
    assert reminded == {world["east_officer2"].id, world["west_officer"].id}
    body = login_as(world["east_officer2"]).get("/notices/").get_data(as_text=True)
    assert "没有学习打卡" in body

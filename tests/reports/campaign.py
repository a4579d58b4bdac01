"""The hand-built campaign every report test reads (figures worked out by hand in the tests).

Frozen at Monday 2026-11-23 09:00 (Shanghai): "last week" is 2026-W47, Monday 11-16.

east_station: S1 (world east_officer), S2, S3, and M (moved here from east_court today, Monday 11-23)
east_court:   C1 (world east_officer2), C2
east_empty:   nobody
west_police:  W1 (world west_officer)

E1, week 47 (city-wide, 100 points, pass 60), closed, with a retake R1:
  S1 passed 90 · S2 failed 40, passed the retake · S3 absent, absent from the retake
  C1 passed 70 · C2 failed 50, failed the retake · M (from east_court) passed 80 · W1 absent
E2, week 46 (east): S1 100, S2 60, S3 60, C2 80, M 70 passed; C1 failed 30, retake outstanding
Check-ins week 47: S1 5 x 60 min, M 2 x 120, C1 7 x 30; outside it: S1 on 11-15 and 11-23.
Session 11-18 (east, 2 hours, closed): S1 present, S2 late, S3 absent, M present, C1 leave, C2 absent.
"""

from datetime import UTC, date, datetime, timedelta

import sqlalchemy as sa

from accounts import services
from accounts.models import UnitKind, User
from core.extensions import db
from reports.summaries import refresh_summaries
from tests import factories
from tests.reports import factories as rf
from tests.reports.factories import AssignmentStatus as S
from tests.reports.factories import AttendanceStatus as A


def local(y, m, d, h=9):
    return datetime(y, m, d, h - 8, 0, tzinfo=UTC)


def build_campaign(world, frozen_clock):
    east_empty = factories.UnitFactory(name="东区司法局", kind=UnitKind.JUSTICE, parent=world["east"])
    station, court = world["east_station"], world["east_court"]
    s1, c1, w1 = world["east_officer"], world["east_officer2"], world["west_officer"]
    s2 = factories.UserFactory(username="s2", full_name="王二", unit=station)
    s3 = factories.UserFactory(username="s3", full_name="张三", unit=station)
    c2 = factories.UserFactory(username="c2", full_name="李四", unit=court)
    m = factories.UserFactory(username="m1", full_name="赵调动", unit=court)

    e2 = rf.make_exam(world["east"], local(2026, 11, 10), title="第46周周测")
    for user, score in ((s1, 100), (s2, 60), (s3, 60), (c2, 80)):
        rf.assign(e2, user, S.PASSED, score=score)
    rf.assign(e2, m, S.PASSED, score=70, unit=court)
    rf.assign(e2, c1, S.FAILED, score=30, flagged=True)

    e1 = rf.make_exam(world["city"], local(2026, 11, 17), title="第47周周测")
    r1 = rf.make_exam(world["city"], local(2026, 11, 20), retake_of=e1)
    a_s1 = rf.assign(e1, s1, S.PASSED, score=90)
    a_s2 = rf.assign(e1, s2, S.FAILED, score=40, flagged=True, cleared=True)
    rf.assign(e1, s3, S.ABSENT, flagged=True, escalated=True)
    a_c1 = rf.assign(e1, c1, S.PASSED, score=70)
    a_c2 = rf.assign(e1, c2, S.FAILED, score=50, flagged=True, escalated=True)
    a_m = rf.assign(e1, m, S.PASSED, score=80, unit=court)
    rf.assign(e1, w1, S.ABSENT, flagged=True)
    rf.assign(r1, s2, S.PASSED, score=80)
    rf.assign(r1, s3, S.ABSENT)
    rf.assign(r1, c2, S.FAILED, score=55)
    rf.assign(r1, w1, S.ABSENT)

    (q1, v1), (q2, v2) = rf.questions(2)
    for assignment, first, second in (
        (a_s1, "A", "A"),
        (a_s2, "B", "A"),
        (a_c1, "A", "C"),
        (a_c2, "B", "D"),
        (a_m, "A", "C"),
    ):
        rf.paper(assignment, [(q1, v1, first), (q2, v2, second)])

    week = date(2026, 11, 16)
    for i in range(5):
        rf.checkin(s1, week + timedelta(days=i), 60)
    for i in range(2):
        rf.checkin(m, week + timedelta(days=i), 120)
    for i in range(7):
        rf.checkin(c1, week + timedelta(days=i), 30)
    rf.checkin(s1, date(2026, 11, 15), 45)
    rf.checkin(s1, date(2026, 11, 23), 45)
    rf.session_with_attendance(
        world["east"],
        local(2026, 11, 18, 10),
        {
            s1: A.PRESENT,
            s2: A.LATE,
            s3: A.ABSENT,
            m: A.PRESENT,
            c1: A.LEAVE,
            c2: A.ABSENT,
        },
    )
    # The move, today (Monday 11-23): M now belongs to east_station; the tests stay with east_court,
    # and so do M's study and attendance of the weeks before.
    services.update_user(None, m, full_name=m.full_name, unit=station, role=m.role, phone=None, now=frozen_clock.now)
    # `world` was built before the clock froze: its people must not look changed in the future.
    db.session.execute(sa.update(User).values(updated_at=frozen_clock.now))
    db.session.commit()
    refresh_summaries(frozen_clock.now)
    db.session.commit()
    return {
        **world,
        "east_empty": east_empty,
        "s1": s1,
        "s2": s2,
        "s3": s3,
        "c1": c1,
        "c2": c2,
        "m": m,
        "w1": w1,
        "e1": e1,
        "e2": e2,
        "r1": r1,
        "q1": q1,
        "q2": q2,
    }

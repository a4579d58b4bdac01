"""Double taps and second tabs: two requests racing for the same unique row give one row and
never a 500 (PostgreSQL raises a unique violation where SQLite queues the writers)."""

import threading
from datetime import UTC, datetime, timedelta

import sqlalchemy as sa

from core.extensions import db
from study import codes
from study.models import Attendance, CheckIn, ReadingProgress
from tests.study.factories import NOTES, ReadingFactory, StudySessionFactory


def race(clients, method, url, payload=None, times=2):
    barrier = threading.Barrier(times)
    results = [None] * times

    def run(index):
        barrier.wait()
        try:
            with clients[index].application.app_context():  # the client ends its snapshot in one
                results[index] = clients[index].open(url, method=method, json=payload).status_code
        except Exception as error:  # noqa: BLE001 (reported by the assertion below)
            results[index] = repr(error)

    threads = [threading.Thread(target=run, args=(i,)) for i in range(times)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    db.session.rollback()
    return sorted(results, key=str)


def test_two_checkins_at_once_make_one_row(world, login_as, frozen_clock):
    clients = [login_as(world["east_officer"]) for _ in range(2)]
    payload = {"minutes": 60, "method": "self", "notes": NOTES}
    statuses = race(clients, "PUT", "/api/v1/checkins/2026-11-23", payload)
    assert statuses == [200, 200]
    assert db.session.scalar(sa.select(sa.func.count(CheckIn.id))) == 1


def test_two_signins_at_once_count_once(world, login_as, frozen_clock):
    start = datetime(2026, 11, 23, 2, 0, tzinfo=UTC)
    session = StudySessionFactory(unit=world["east_police"], starts_at=start, ends_at=start + timedelta(hours=2))
    frozen_clock.set(start - timedelta(minutes=10))  # before the start: no expected list yet, rows are inserted
    clients = [login_as(world["east_officer"]) for _ in range(2)]
    code = codes.current_code(session.secret, session.id, frozen_clock.now, 30)[0]
    statuses = race(clients, "POST", f"/api/v1/sessions/{session.id}/signin", {"code": code})
    assert statuses == [200, 409]
    assert db.session.scalar(sa.select(sa.func.count(Attendance.id))) == 1


def test_marking_a_reading_twice_at_once(world, login_as):
    reading = ReadingFactory(unit=world["east"])
    clients = [login_as(world["east_officer"]) for _ in range(2)]
    for client in clients:
        client.environ_base["HTTP_ACCEPT"] = "text/html"
    statuses = race(clients, "POST", f"/study/readings/{reading.id}/read")
    assert statuses == [302, 302]
    assert db.session.scalar(sa.select(sa.func.count(ReadingProgress.id))) == 1

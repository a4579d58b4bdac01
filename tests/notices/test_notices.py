"""The notice centre: unread count, list, mark read; posting is idempotent with a dedupe key."""

from core import clock
from core.extensions import db
from notices import services
from notices.models import Notice


def test_notify_with_a_dedupe_key_posts_once(world):
    officer = world["east_officer"]
    for _ in range(2):
        services.notify(
            [officer.id],
            kind="reminder",
            title="Exam %(title)s closes soon",
            params={"title": "周测"},
            dedupe_key="exam-1-closing",
            now=clock.now(),
        )
        db.session.commit()
    assert db.session.query(Notice).filter_by(user_id=officer.id).count() == 1


def test_unread_count_shows_in_the_navigation_and_marking_read_clears_it(world, login_as):
    officer = world["east_officer"]
    services.notify([officer.id], kind="info", title="Test notice", now=clock.now())
    db.session.commit()
    client = login_as(officer)
    assert 'class="count-badge">1<' in client.get("/").get_data(as_text=True)
    notice = db.session.query(Notice).filter_by(user_id=officer.id).one()
    assert client.post(f"/notices/{notice.id}/read").status_code == 302
    assert "count-badge" not in client.get("/").get_data(as_text=True)


def test_titles_are_translated_when_shown(world, login_as):
    officer = world["east_officer"]
    services.notify([officer.id], kind="info", title="Your password has been changed.", now=clock.now())
    db.session.commit()
    assert "密码已修改" in login_as(officer).get("/notices/").get_data(as_text=True)


def test_mark_all_read(world, login_as):
    officer = world["east_officer"]
    services.notify([officer.id], kind="a", title="Test", now=clock.now())
    services.notify([officer.id], kind="b", title="Test", now=clock.now())
    db.session.commit()
    client = login_as(officer)
    client.post("/notices/read-all")
    db.session.rollback()
    assert services.unread_count(officer.id) == 0


def test_someone_elses_notice_cannot_be_marked(world, login_as):
    services.notify([world["east_officer2"].id], kind="a", title="Test", now=clock.now())
    db.session.commit()
    notice = db.session.query(Notice).one()
    assert login_as(world["east_officer"]).post(f"/notices/{notice.id}/read").status_code == 404

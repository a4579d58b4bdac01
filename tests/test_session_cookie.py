"""The session cookie is sent again only when the session changed: not on every autosave, but
still when the once-a-minute "seen" stamp moves (so the idle limit keeps counting from the last
activity)."""

from datetime import timedelta


def test_cookie_is_resent_only_when_the_session_changes(world, login_as, frozen_clock):
    officer = login_as(world["east_officer"])
    officer.get("/api/v1/csrf")  # the CSRF token joins the session once
    assert "Set-Cookie" not in officer.get("/").headers
    assert "Set-Cookie" not in officer.get("/api/v1/csrf").headers
    frozen_clock.advance(timedelta(minutes=2))
    assert "yingzhi_session=" in officer.get("/").headers.get("Set-Cookie", "")
    assert "Set-Cookie" not in officer.get("/").headers

"""Only views that declare rate limits pay for Flask-Limiter; sign-in is still limited (its
lockout tests are in tests/accounts/test_auth_views.py)."""

from core import extensions


def test_views_without_limits_skip_the_limiter_and_sign_in_does_not(app):
    with app.test_request_context("/healthz"):
        assert extensions._view_declares_no_limits() is True
    with app.test_request_context("/api/v1/csrf"):
        assert extensions._view_declares_no_limits() is True
    with app.test_request_context("/login", method="POST"):
        assert extensions._view_declares_no_limits() is False


def test_configured_default_limits_turn_the_filter_off(app):
    app.config["RATELIMIT_DEFAULT"] = "100 per minute"
    with app.test_request_context("/healthz"):
        assert extensions._view_declares_no_limits() is False

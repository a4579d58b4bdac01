"""Response headers (CSP, HSTS, nosniff, framing, referrer), no-store caching, proxy handling."""

from flask import request
from werkzeug.middleware.proxy_fix import ProxyFix

from core.extensions import talisman

CONTENT_SECURITY_POLICY = {
    "default-src": "'self'",
    "script-src": "'self'",
    "style-src": "'self'",
    "img-src": "'self' data:",
    "font-src": "'self'",
    "connect-src": "'self'",
    "object-src": "'none'",
    "base-uri": "'self'",
    "form-action": "'self'",
    "frame-ancestors": "'none'",
}


def _no_store(response):
    # Pages carry personal results and answer state; nothing but static files may be cached.
    if request.endpoint != "static":
        response.headers["Cache-Control"] = "no-store"
        response.headers["Pragma"] = "no-cache"
    return response


def init_security(app):
    talisman.init_app(
        app,
        force_https=app.config["YINGZHI_FORCE_HTTPS"],
        strict_transport_security=True,
        strict_transport_security_max_age=31536000,
        content_security_policy=CONTENT_SECURITY_POLICY,
        content_security_policy_nonce_in=["script-src"],
        frame_options="DENY",
        referrer_policy="same-origin",
        session_cookie_secure=app.config["SESSION_COOKIE_SECURE"],
        session_cookie_http_only=True,
        session_cookie_samesite="Lax",
        x_content_type_options=True,
        permissions_policy={"geolocation": "()", "microphone": "()", "camera": "()"},
    )
    app.after_request(_no_store)
    if app.config["YINGZHI_PROXY_COUNT"]:
        count = app.config["YINGZHI_PROXY_COUNT"]
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=count, x_proto=count, x_host=count)

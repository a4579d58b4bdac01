"""X6 headers on every kind of response, X11 no external hosts in templates or static files."""

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def check_common_headers(response):
    csp = response.headers["Content-Security-Policy"]
    assert "frame-ancestors 'none'" in csp
    script_src = re.search(r"script-src ([^;]*)", csp).group(1)
    assert "'unsafe-inline'" not in script_src and "http" not in script_src
    assert not re.search(r"https?://", csp), csp  # no external origins anywhere
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "same-origin"


@pytest.mark.parametrize("path", ["/login", "/api/v1/openapi.json", "/no-such-page", "/api/v1/no-such"])
def test_security_headers_and_no_store_on_pages_json_and_errors(client, path):
    response = client.get(path)
    check_common_headers(response)
    assert response.headers["Cache-Control"] == "no-store"


def test_headers_on_a_redirect_and_a_signed_in_page(world, login_as, client):
    check_common_headers(client.get("/"))
    officer = login_as(world["east_officer"])
    response = officer.get("/")
    check_common_headers(response)
    assert response.headers["Cache-Control"] == "no-store"


def test_static_files_cache_long_but_keep_nosniff(client):
    response = client.get("/static/css/app.css?v=1")
    assert response.status_code == 200
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert "max-age=31536000" in response.headers["Cache-Control"]


def test_hsts_on_https(client):
    response = client.get("/login", base_url="https://localhost")
    assert "max-age=31536000" in response.headers["Strict-Transport-Security"]


def test_inline_scripts_carry_the_nonce(client):
    response = client.get("/login")
    nonce = re.search(r"'nonce-([^']+)'", response.headers["Content-Security-Policy"]).group(1)
    scripts = re.findall(r"<script[^>]*>", response.get_data(as_text=True))
    assert scripts and all(f'nonce="{nonce}"' in tag for tag in scripts)


ALLOWED_URLS = re.compile(r"https?://(www\.w3\.org/|127\.0\.0\.1|localhost)")


def test_templates_and_static_files_reference_no_other_host():
    """X11: no CDN, no web font, no analytics: nothing is fetched from another host."""
    offenders = []
    for folder in ("templates", "static"):
        for path in (ROOT / folder).rglob("*"):
            if path.is_file() and path.suffix in {".html", ".css", ".js", ".svg", ".json"}:
                for match in re.finditer(r"https?://[^\s\"')>]+", path.read_text("utf-8", errors="ignore")):
                    if not ALLOWED_URLS.match(match.group(0)):
                        offenders.append(f"{path.relative_to(ROOT)}: {match.group(0)}")
    assert offenders == []

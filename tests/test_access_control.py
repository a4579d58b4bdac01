"""X1, X2, X3: every route, found by walking app.url_map, checked for role, unit scope and CSRF.

A route with an id argument needs an entry in ID_PROVIDERS (an id of something in the east
district); a new argument name without one fails the test on purpose, so every new route is
checked the day it is added.
"""

import pytest
import sqlalchemy as sa

from core.extensions import db
from tests import id_providers

# Reachable without signing in.
PUBLIC_ENDPOINTS = {
    "static",
    "auth.login",
    "auth.logout",
    "auth.set_language",
    "core.csrf_token",
    "core.openapi",
    "core.health",
}


def routes(app):
    """(endpoint, rule, methods) for every route but static."""
    for rule in app.url_map.iter_rules():
        if rule.endpoint == "static":
            continue
        methods = sorted(rule.methods - {"HEAD", "OPTIONS"})
        yield rule.endpoint, rule, methods


def build_url(rule, ids):
    values = {}
    for argument in rule.arguments:
        assert argument in ids, f"add an id provider for <{argument}> (route {rule.rule}) in tests/id_providers.py"
        values[argument] = ids[argument]
    return rule.map.bind("localhost").build(rule.endpoint, values)


def call(client, method, url):
    if method == "GET":
        return client.get(url)
    return client.open(
        url, method=method, json={} if url.startswith("/api/") else None, data=None if url.startswith("/api/") else {}
    )


def test_every_view_declares_its_access_rule(app):
    """Every non-public view wears role_required (or one of its named forms)."""
    undeclared = [
        endpoint
        for endpoint, _rule, _methods in routes(app)
        if endpoint not in PUBLIC_ENDPOINTS and not hasattr(app.view_functions[endpoint], "allowed_roles")
    ]
    assert undeclared == []


def test_anonymous_requests_go_to_sign_in(app, world):
    ids = id_providers.east_ids(world)
    client = app.test_client()
    for endpoint, rule, methods in routes(app):
        if endpoint in PUBLIC_ENDPOINTS:
            continue
        url = build_url(rule, ids)
        for method in methods:
            response = call(client, method, url)
            if url.startswith("/api/"):
                assert response.status_code == 401, (method, url, response.status_code)
            else:
                assert response.status_code == 302 and "/login" in response.headers["Location"], (method, url)


def test_supervisor_of_a_sibling_district_is_refused_everything_in_the_other(app, world, login_as):
    """X1: with the east district's ids, the west supervisor gets 403 or 404 on every route."""
    ids = id_providers.east_ids(world)
    west = login_as(world["west_supervisor"])
    for endpoint, rule, methods in routes(app):
        if not rule.arguments or endpoint in PUBLIC_ENDPOINTS:
            continue
        url = build_url(rule, ids)
        for method in methods:
            response = call(west, method, url)
            assert response.status_code in (403, 404), (method, url, response.status_code)


def test_officers_are_refused_every_manager_route(app, world, login_as):
    """X1: an officer gets 403 on each route meant for supervisors or admins."""
    ids = id_providers.east_ids(world)
    officer = login_as(world["east_officer"])
    for endpoint, rule, methods in routes(app):
        roles = getattr(app.view_functions[endpoint], "allowed_roles", None)
        if roles is None or world["east_officer"].role in roles:
            continue
        url = build_url(rule, ids)
        for method in methods:
            response = call(officer, method, url)
            assert response.status_code == 403, (method, url, response.status_code)


def test_supervisors_are_refused_admin_only_routes(app, world, login_as):
    ids = id_providers.east_ids(world)
    supervisor = login_as(world["east_supervisor"])
    for endpoint, rule, methods in routes(app):
        roles = getattr(app.view_functions[endpoint], "allowed_roles", None)
        if roles is None or world["east_supervisor"].role in roles:
            continue
        url = build_url(rule, ids)
        for method in methods:
            assert call(supervisor, method, url).status_code == 403, (method, url)


def test_an_officer_cannot_open_another_officers_things(app, world, login_as):
    """X2: ids of a colleague in the same district are refused to an officer."""
    ids = id_providers.colleague_ids(world)
    officer = login_as(world["east_officer"])
    for endpoint, rule, methods in routes(app):
        roles = getattr(app.view_functions[endpoint], "allowed_roles", None)
        if not rule.arguments or roles is None or world["east_officer"].role not in roles:
            continue
        url = build_url(rule, ids)
        for method in methods:
            response = call(officer, method, url)
            assert response.status_code in (403, 404), (method, url, response.status_code)


def snapshot():
    """Every row of every table: what a request must not change."""
    db.session.rollback()
    state = {}
    for table in db.metadata.sorted_tables:
        rows = db.session.execute(sa.select(table)).all()
        state[table.name] = sorted(repr(tuple(row)) for row in rows)
    return state


def test_writes_without_a_csrf_token_are_refused_and_change_nothing(app, world, login_as):
    """X3: every POST/PUT/PATCH/DELETE without the token gets 400 and leaves the database as it was."""
    ids = id_providers.east_ids(world)
    admin = login_as(world["admin"])
    admin.csrf = False
    before = snapshot()
    checked = 0
    for _endpoint, rule, methods in routes(app):
        url = build_url(rule, ids)
        for method in methods:
            if method == "GET":
                continue
            response = call(admin, method, url)
            assert response.status_code == 400, (method, url, response.status_code)
            checked += 1
    assert checked > 5
    assert snapshot() == before


def test_no_get_route_changes_anything(app, world, login_as):
    """X3: GET requests never mutate state (as an admin, who may open every page)."""
    ids = id_providers.east_ids(world)
    admin = login_as(world["admin"])
    before = snapshot()
    for _endpoint, rule, methods in routes(app):
        if "GET" in methods:
            response = admin.get(build_url(rule, ids))
            assert response.status_code < 500
    after = snapshot()
    assert after == before


@pytest.mark.parametrize("path", ["/admin/units/", "/admin/people/", "/admin/settings", "/admin/audit"])
def test_admin_pages_refuse_officers(world, login_as, path):
    assert login_as(world["east_officer"]).get(path).status_code == 403

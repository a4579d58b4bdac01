"""The ceiling app of the load benchmark: Yingzhi's own factory plus two routes that exist only
there (the real app must never serve them)."""

import pytest
import sqlalchemy as sa

from bench import ceiling_app
from core.extensions import db


@pytest.fixture
def ceiling(database_url, _schema):
    app = ceiling_app.create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": database_url})
    with app.app_context():
        yield app
        db.session.remove()
        # The row table is the bench's, not the schema's: leave the test database as migrated.
        ceiling_app.ceiling_metadata.drop_all(db.engine)
        db.engine.dispose()


def test_bare_answers_a_short_string_through_the_apps_own_hooks(ceiling):
    response = ceiling.test_client().get("/bench/bare")
    assert response.status_code == 200
    assert response.data == b"ok"
    # The same after-request work as every page: security headers and no-store.
    assert response.headers["Cache-Control"] == "no-store"
    assert "default-src 'self'" in response.headers["Content-Security-Policy"]


def test_insert_commits_one_row_per_request(ceiling):
    client = ceiling.test_client()
    for _ in range(3):
        assert client.post("/bench/insert").status_code == 200
    count = db.session.scalar(sa.select(sa.func.count()).select_from(ceiling_app.ceiling_rows))
    assert count == 3


def test_the_real_app_has_no_bench_routes(app, client):
    assert not [rule.rule for rule in app.url_map.iter_rules() if rule.rule.startswith("/bench")]
    assert client.get("/bench/bare").status_code == 404

"""Fixtures of the question bank tests."""

import pytest

from core import clock
from core.extensions import db
from question_bank import services


@pytest.fixture
def bank(app):
    """The seven default categories, by name."""
    categories = services.ensure_default_categories(clock.now())
    db.session.commit()
    return {c.name: c for c in categories}

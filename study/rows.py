"""Inserting a row that a unique constraint allows only once, when two requests race for it."""

from sqlalchemy.exc import IntegrityError

from core.extensions import db


def insert_once(row) -> bool:
    """Add and flush `row` inside a savepoint. False (and nothing added) if a concurrent request
    inserted the same unique row first; the rest of the transaction is untouched."""
    try:
        with db.session.begin_nested():
            db.session.add(row)
    except IntegrityError:
        return False
    return True

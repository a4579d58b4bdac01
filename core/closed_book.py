"""Closed book (E20, E21): while an officer has a test attempt in progress, nothing that shows an
answer key or an explanation opens — past attempt reviews, results, practice, the wrong-answer
book, pocket cards, the bank's own pages.

Every such view says so with `shows_answer_keys`; tests/test_closed_book.py walks app.url_map and
fails for a route that is neither marked nor on its list of key-free routes, so a new page that
shows keys cannot slip past. Whether the user has an attempt in progress is quiz's to say: the
app wires quiz.status.attempt_in_progress into YINGZHI_ATTEMPT_IN_PROGRESS, as core knows nothing
of tests.
"""

from functools import wraps

from flask import current_app
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from core import clock
from core.errors import PermissionDenied

MESSAGE = _l(
    "You have a test in progress. Answers and explanations (past results, practice, the wrong-answer book, "
    "pocket cards) open again after you submit it."
)


def attempt_in_progress(user):
    """The user's unfinished attempt within its deadline, or None."""
    if not user.is_authenticated:
        return None
    return current_app.config["YINGZHI_ATTEMPT_IN_PROGRESS"](user.id, clock.now())


def ensure_closed_book(user, *, allowed=None) -> None:
    """PermissionDenied (code closed_book) while `user` has an attempt in progress, unless
    `allowed(attempt)` says this request concerns that very attempt."""
    attempt = attempt_in_progress(user)
    if attempt is not None and not (allowed is not None and allowed(attempt)):
        raise PermissionDenied(MESSAGE, code="closed_book")


def shows_answer_keys(view=None, *, checked_by_view: bool = False):
    """Mark a view that can show answer keys or explanations, and refuse it during a test.

    Put it under the access decorator (anonymous users go to sign-in first). With
    `checked_by_view`, the view calls ensure_closed_book itself once it has found what it shows:
    an attempt's pages answer 404 for someone else's attempt first, and open for the attempt in
    progress itself (which shows no key while it runs)."""

    def decorator(inner):
        if checked_by_view:
            marked = inner
        else:

            @wraps(inner)
            def marked(*args, **kwargs):
                ensure_closed_book(current_user)
                return inner(*args, **kwargs)

        marked.shows_answer_keys = True  # read by the route-walking test
        return marked

    return decorator(view) if view is not None else decorator

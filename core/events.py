"""Events that a lower feature announces and higher features act on, in the same transaction.

Features import downward only (STYLE.md), so quiz cannot call reports or study when a result
changes. It calls `emit(name, **payload)`; app.py maps each event name to the handlers of the
higher features (EVENT_HANDLERS, an explicit table). A handler gets the payload as keyword
arguments, may flush, never commits, and returns a dict of counts (or None); emit adds them up.
"""

from flask import current_app, has_app_context

# Every event and its payload, so an emitter and its handlers agree on the names.
EVENTS = {
    # Assignments of an exam changed in a way reports count (published, submitted, closed,
    # cleared, joined a retake, withdrawn): exam_id, unit_ids (their units at publish).
    "exam_results_changed": ("exam_id", "unit_ids"),
    # Some officers' windows of an exam were closed and their results settled: exam,
    # assignments (the ExamAssignment rows just closed), wrong ({user_id: [question_id]}), now.
    "assignments_closed": ("exam", "assignments", "wrong", "now"),
    # The exam is closed for everyone: keys and reviews may be shown. exam, wrong
    # ({(user_id, question_id)} of every counted attempt), now.
    "exam_closed_for_everyone": ("exam", "wrong", "now"),
    # Study figures of these (user_id, local day) pairs changed, and of these (unit_id, local
    # day) pairs of a unit's own (the sessions it held): pairs, unit_days, now.
    "study_days_changed": ("pairs", "unit_days", "now"),
    # A person's membership changed (created, moved, role, deactivated, restored): user, now.
    "person_changed": ("user", "now"),
}


def emit(name: str, **payload) -> dict:
    """Call every handler registered for `name` (none outside an app context). Returns the
    handlers' counts added up."""
    if name not in EVENTS:
        raise KeyError(f"unknown event {name!r}")
    if not has_app_context():
        return {}
    counts: dict = {}
    for handler in current_app.config.get("YINGZHI_EVENT_HANDLERS", {}).get(name, ()):
        for key, value in (handler(**payload) or {}).items():
            counts[key] = counts.get(key, 0) + value
    return counts

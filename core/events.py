"""Events that a lower feature announces and higher features act on, in the same transaction.

Features import downward only (STYLE.md), so quiz cannot call reports or study when a result
changes. It calls `emit(name, **payload)`; app.py maps each event name to the handlers of the
higher features (EVENT_HANDLERS, an explicit table). A handler gets the payload as keyword
arguments, may flush, never commits, and returns a dict of counts (or None); emit adds them up.
"""

from contextlib import contextmanager

from flask import current_app, g, has_app_context

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
    # People's memberships changed (created, moved, role, deactivated, restored): users, now.
    "people_changed": ("users", "now"),
}

# Events whose list payload a batch gathers into one emit (key: the list's name).
BATCHABLE = {"people_changed": "users"}


def emit(name: str, **payload) -> dict:
    """Call every handler registered for `name` (none outside an app context). Returns the
    handlers' counts added up."""
    if name not in EVENTS:
        raise KeyError(f"unknown event {name!r}")
    if not has_app_context():
        return {}
    held = g.get("_held_events")
    if held is not None and name in held:  # inside batched(name): gather, emit at its end
        key = BATCHABLE[name]
        earlier = held[name][key] if held[name] else []
        held[name] = {**payload, key: [*earlier, *payload[key]]}
        return {}
    counts: dict = {}
    for handler in current_app.config.get("YINGZHI_EVENT_HANDLERS", {}).get(name, ()):
        for key, value in (handler(**payload) or {}).items():
            counts[key] = counts.get(key, 0) + value
    return counts


@contextmanager
def batched(name: str):
    """Hold the emits of `name` (a BATCHABLE event) made inside, and emit them once at the end
    with their lists joined: an import of 500 people recomputes each unit's figures once, not 500
    times. Nothing is emitted if the block raises (its transaction is rolled back)."""
    if name not in BATCHABLE:
        raise KeyError(f"event {name!r} cannot be batched")
    held = g.setdefault("_held_events", {})
    if name in held:  # already inside a batch of it: the outer one emits
        yield
        return
    held[name] = None
    try:
        yield
        payload = held.pop(name)
    finally:
        held.pop(name, None)
    if payload is not None:
        emit(name, **payload)

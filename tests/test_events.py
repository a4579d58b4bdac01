"""core.events: a batch gathers a batchable event's emits into one, and emits nothing if its
block fails (the transaction it belonged to is rolled back)."""

import pytest

from core import events


@pytest.fixture
def recorded(app, monkeypatch):
    calls = []
    handlers = {"people_changed": (lambda users, now: calls.append((list(users), now)) or {"seen": len(users)},)}
    monkeypatch.setitem(app.config, "YINGZHI_EVENT_HANDLERS", handlers)
    return calls


def test_a_batch_emits_once_with_the_lists_joined(app, recorded):
    with app.app_context():
        with events.batched("people_changed"):
            assert events.emit("people_changed", users=["a"], now=1) == {}
            with events.batched("people_changed"):  # nested: the outer batch emits
                events.emit("people_changed", users=["b", "c"], now=2)
            assert recorded == []
        assert recorded == [(["a", "b", "c"], 2)]
        assert events.emit("people_changed", users=["d"], now=3) == {"seen": 1}  # outside: at once
        assert recorded[-1] == (["d"], 3)


def test_a_batch_whose_block_fails_emits_nothing(app, recorded):
    with app.app_context():
        with pytest.raises(RuntimeError), events.batched("people_changed"):
            events.emit("people_changed", users=["a"], now=1)
            raise RuntimeError("rolled back")
        assert recorded == []
        with events.batched("people_changed"):  # an empty batch emits nothing either
            pass
        assert recorded == []


def test_only_batchable_events_can_be_batched(app):
    with app.app_context(), pytest.raises(KeyError), events.batched("exam_results_changed"):
        pass

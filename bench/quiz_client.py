"""The test-taking API of issue 4 as the benchmark uses it, written against the contract:

    POST /api/v1/exams/<exam_id>/attempts           start or resume: attempt id, deadline, paper items
    PUT  /api/v1/attempts/<attempt_id>/answers/<item_id>   {"response": ..., "version": n}
    POST /api/v1/attempts/<attempt_id>/submit       score, pass mark, passed
    GET  /api/v1/attempts/<attempt_id>              state and saved answers

Field names inside the bodies are read tolerantly (an "attempt" object or the top level; "items"
or "paper"), so small shape choices of the API do not break the bench."""

import json
import random
from dataclasses import dataclass

import httpx


def start_path(exam_id: int) -> str:
    return f"/api/v1/exams/{exam_id}/attempts"


def answer_path(attempt_id: int, item_id: int) -> str:
    return f"/api/v1/attempts/{attempt_id}/answers/{item_id}"


def submit_path(attempt_id: int) -> str:
    return f"/api/v1/attempts/{attempt_id}/submit"


def attempt_path(attempt_id: int) -> str:
    return f"/api/v1/attempts/{attempt_id}"


@dataclass
class Item:
    id: int
    type: str
    option_count: int
    blanks: int


@dataclass
class StartedAttempt:
    id: int
    items: list[Item]


def _first(mapping: dict, *names, default=None):
    for name in names:
        if name in mapping and mapping[name] is not None:
            return mapping[name]
    return default


def parse_start(body: dict) -> StartedAttempt:
    attempt = body.get("attempt") if isinstance(body.get("attempt"), dict) else body
    attempt_id = _first(attempt, "id", "attempt_id") or _first(body, "attempt_id", "id")
    raw_items = _first(body, "items", "paper") or _first(attempt, "items", "paper") or []
    items = []
    for raw in raw_items:
        kind = str(_first(raw, "type", "kind", default="single"))
        options = _first(raw, "options", default=[]) or []
        blanks = _first(raw, "blanks", "blank_count")
        if isinstance(blanks, list):
            blanks = len(blanks)
        if blanks is None:
            stem = str(_first(raw, "stem", default=""))
            blanks = max(1, stem.count("____")) if kind == "fill" else 0
        items.append(Item(int(_first(raw, "id", "item_id")), kind, len(options), int(blanks)))
    return StartedAttempt(int(attempt_id), items)


def response_for(item: Item, rng: random.Random):
    """A well-formed response for the item (right or wrong, as an officer would give)."""
    letters = "ABCDEFGH"[: max(item.option_count, 2)]
    if item.type == "single":
        return rng.choice(letters)
    if item.type == "multiple":
        return sorted(rng.sample(letters, rng.randint(1, len(letters))))
    if item.type == "true_false":
        return rng.choice((True, False))
    return [rng.choice(("党", "中国共产党", "人民", "法治")) for _ in range(max(item.blanks, 1))]


def answer_body(response) -> str:
    return json.dumps({"response": response}, ensure_ascii=False, separators=(",", ":"))


async def start(client: httpx.AsyncClient, exam_id: int) -> StartedAttempt:
    answer = await client.post(start_path(exam_id), json={})
    if answer.status_code not in (200, 201):
        raise RuntimeError(f"start answered {answer.status_code}: {answer.text[:300]}")
    return parse_start(answer.json())

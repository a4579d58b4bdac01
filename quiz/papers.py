"""Drawing one officer's paper from an exam's blueprint. Pure: the same blueprint, seed and recent
questions give the same paper, question for question and option for option.

An exam's blueprint (frozen at publishing) is a list of rows:
    {"category_id", "type", "count", "points", "pool": [[question_id, version_id, option_count], …]}
where the pool holds the active questions of that category subtree and type, at their versions
when the exam was published.
"""

import hashlib
import random
from dataclasses import dataclass

from question_bank.answers import LETTERS

RECENT_PAPERS = 4  # avoid questions seen in this many of the officer's latest papers


@dataclass(frozen=True)
class DrawnItem:
    position: int
    question_id: int
    version_id: int
    category_id: int
    points: int
    option_order: tuple[int, ...]  # original option index shown in each place


def attempt_seed(exam_id: int, user_id: int, number: int, salt: str) -> int:
    """A seed that cannot be guessed from ids alone (salted with the app's secret) and fits a
    signed 64-bit column."""
    digest = hashlib.sha256(f"{salt}:{exam_id}:{user_id}:{number}".encode()).digest()
    return int.from_bytes(digest[:8], "big") >> 1


def draw_paper(
    blueprint: list[dict],
    seed: int,
    recent_question_ids=frozenset(),
    *,
    shuffle_questions: bool = True,
    shuffle_options: bool = True,
) -> list[DrawnItem]:
    rng = random.Random(seed)
    chosen_ids: set[int] = set()
    drawn = []
    for row in blueprint:
        pool = sorted((entry for entry in row["pool"] if entry[0] not in chosen_ids), key=lambda e: e[0])
        fresh = [entry for entry in pool if entry[0] not in recent_question_ids]
        count = row["count"]
        if len(fresh) >= count:
            picked = rng.sample(fresh, count)
        else:  # the bank is too small to avoid every recent question: reuse the fewest
            seen = [entry for entry in pool if entry[0] in recent_question_ids]
            picked = fresh + rng.sample(seen, min(count - len(fresh), len(seen)))
        for question_id, version_id, option_count in picked:
            chosen_ids.add(question_id)
            order = list(range(option_count))
            if shuffle_options:
                rng.shuffle(order)
            drawn.append((question_id, version_id, row["category_id"], row["points"], tuple(order)))
    if shuffle_questions:
        rng.shuffle(drawn)
    return [DrawnItem(position, *item) for position, item in enumerate(drawn, start=1)]


def to_original(option_order, displayed):
    """Displayed letters ('B' or ['A', 'C']) to the question's original letters (sorted list)."""
    if isinstance(displayed, str):
        return LETTERS[option_order[LETTERS.index(displayed)]]
    return sorted(LETTERS[option_order[LETTERS.index(letter)]] for letter in displayed)


def to_displayed(option_order, original):
    """Original letters to the letters the officer saw (sorted list for multiple choice)."""
    place = {index: LETTERS[shown] for shown, index in enumerate(option_order)}
    if isinstance(original, str):
        return place[LETTERS.index(original)]
    return sorted(place[LETTERS.index(letter)] for letter in original)

"""What the benchmark reads and writes in the database directly (never during a measurement):
saved answers filled in before the submit scenario, and the audits after S4 and S5."""

import contextlib
from collections import Counter

import sqlalchemy as sa

from bench import world


@contextlib.contextmanager
def app_context(database_url: str):
    from app import create_app
    from core.extensions import db

    app = create_app({"SQLALCHEMY_DATABASE_URI": database_url, "SECRET_KEY": "bench-audit"})
    with app.app_context():
        try:
            yield db
        finally:
            db.session.remove()
            db.engine.dispose()


def attempts_by_user(database_url: str, exam_id: int) -> dict[str, int]:
    """{username: attempt id} of an exam's open attempts."""
    from accounts.models import User
    from quiz.models import Attempt

    with app_context(database_url) as db:
        rows = db.session.execute(
            sa.select(User.username, Attempt.id)
            .join(Attempt, Attempt.user_id == User.id)
            .where(Attempt.exam_id == exam_id, Attempt.finished_at.is_(None))
        )
        return {username: attempt_id for username, attempt_id in rows}


def end_open_attempts(database_url: str, keep_exam_id: int) -> int:
    """End, as their close would, the attempts the earlier scenarios left open (S2's starts are
    never submitted), except the given exam's: an officer with another test in progress may not
    see a result (the closed-book rule), and on a real evening one test is being taken. Returns
    how many were ended."""
    from quiz.models import Attempt, FinishReason

    with app_context(database_url) as db:
        ended = db.session.execute(
            sa.update(Attempt)
            .where(Attempt.finished_at.is_(None), Attempt.exam_id != keep_exam_id)
            .values(finished_at=Attempt.deadline_at, finish_reason=FinishReason.CLOSED)
            .execution_options(synchronize_session=False)
        ).rowcount
        db.session.commit()
    return ended


def fill_answers(database_url: str, exam_id: int) -> int:
    """Give every item of the exam's open attempts a saved answer (the right one on about two in
    three), as if the officer had answered everything: the submit scenario grades full papers."""
    from question_bank.models import QuestionVersion
    from quiz.models import Attempt, PaperItem

    with app_context(database_url) as db:
        rows = db.session.execute(
            sa.select(PaperItem.id, QuestionVersion.type, QuestionVersion.answer)
            .join(QuestionVersion, QuestionVersion.id == PaperItem.question_version_id)
            .join(Attempt, Attempt.id == PaperItem.attempt_id)
            .where(Attempt.exam_id == exam_id, Attempt.finished_at.is_(None))
        ).all()
        updates = []
        for number, (item_id, qtype, answer) in enumerate(rows):
            response = answer
            if qtype == "fill":
                response = [alternatives[0] for alternatives in answer]
            if number % 3 == 2:  # a wrong answer now and then
                response = {"single": "B", "multiple": ["B"], "true_false": not answer}.get(qtype, ["错"])
            updates.append({"item_id": item_id, "response": response})
        if updates:
            table = PaperItem.__table__
            db.session.connection().execute(
                table.update()
                .where(table.c.id == sa.bindparam("item_id"))
                .values(response=sa.bindparam("response"), version=1),
                updates,
            )
        db.session.commit()
        return len(updates)


def audit_exam(
    database_url: str, exam_id: int, acknowledged: dict, submitted: dict, officers=None, handed_out=None
) -> dict:
    """Check the database against what the simulated officers were told.

    `acknowledged`: {(attempt_id, item_id): response} of the last save each officer had a 2xx for;
    `submitted`: {attempt_id: score the submit answered}; `officers` (optional): how many were
    released to start (the burst), each of whom must hold one attempt with the whole paper;
    `handed_out` (optional): {attempt_id: items} of the papers the starts answered.
    Returns counts of problems (all should be 0): officers without their whole paper, answers lost
    or different, attempts doubled, submits not graded or graded differently.
    """
    from quiz.models import Attempt, ExamAssignment, PaperItem

    with app_context(database_url) as db:
        attempts = db.session.execute(
            sa.select(Attempt.id, Attempt.assignment_id, Attempt.finished_at, Attempt.score).where(
                Attempt.exam_id == exam_id
            )
        ).all()
        per_assignment = Counter(row.assignment_id for row in attempts)
        by_id = {row.id: row for row in attempts}
        items = db.session.execute(
            sa.select(PaperItem.attempt_id, PaperItem.id, PaperItem.response, PaperItem.option_order).where(
                PaperItem.attempt_id.in_(list(by_id) or [0])
            )
        ).all()
        stored = {(row.attempt_id, row.id): row.response for row in items}
        orders = {(row.attempt_id, row.id): row.option_order for row in items}
        counted = dict(
            db.session.execute(
                sa.select(ExamAssignment.id, ExamAssignment.counted_attempt_id).where(ExamAssignment.exam_id == exam_id)
            ).all()
        )
    lost = sum(1 for key in acknowledged if key not in stored or stored[key] is None)
    different = sum(
        1
        for key, response in acknowledged.items()
        if key in stored and stored[key] is not None and not _same_answer(stored[key], response, orders[key])
    )
    not_graded = sum(1 for attempt_id in submitted if attempt_id not in by_id or by_id[attempt_id].finished_at is None)
    score_differs = sum(
        1
        for attempt_id, score in submitted.items()
        if attempt_id in by_id and score is not None and by_id[attempt_id].score != score
    )
    not_counted = sum(
        1
        for attempt_id in submitted
        if attempt_id in by_id and counted.get(by_id[attempt_id].assignment_id) != attempt_id
    )
    items_per_attempt = Counter(row.attempt_id for row in items)
    report = {}
    if officers is not None:
        whole = sum(1 for attempt_id in by_id if items_per_attempt.get(attempt_id) == PAPER_ITEMS)
        report["officers released"] = officers
        report["officers without their whole paper"] = max(0, officers - whole)
    if handed_out is not None:
        report["papers handed out"] = len(handed_out)
        report["papers handed out but not stored"] = sum(
            1 for attempt_id, count in handed_out.items() if items_per_attempt.get(attempt_id) != count
        )
    return report | {
        "answers acknowledged": len(acknowledged),
        "answers lost": lost,
        "answers stored differently": different,
        "officers with more than one attempt": sum(1 for n in per_assignment.values() if n > 1),
        "attempts submitted": len(submitted),
        "submitted but not graded": not_graded,
        "score differs from the one answered": score_differs,
        "graded but not the counted attempt": not_counted,
    }


def _same_answer(stored, sent, option_order) -> bool:
    """The page sends the letters it showed; the item stores the question's original letters."""
    from quiz.papers import to_original

    if stored == sent:
        return True
    try:
        return bool(option_order) and stored == to_original(option_order, sent)
    except (ValueError, IndexError, TypeError):
        return False


PAPER_ITEMS = sum(count for _kind, count, _points in world.BLUEPRINT)
PROBLEM_KEYS = (
    "officers without their whole paper",
    "papers handed out but not stored",
    "answers lost",
    "answers stored differently",
    "officers with more than one attempt",
    "submitted but not graded",
    "score differs from the one answered",
    "graded but not the counted attempt",
)


def problems(report: dict) -> int:
    return sum(report.get(key, 0) for key in PROBLEM_KEYS)

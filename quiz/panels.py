"""What the officer's home page shows of tests: this week's open test, with a start button."""

from accounts.models import User
from quiz import exam_list


def officer_panel(user: User, now) -> dict:
    rows = exam_list.my_exams(user, now)
    # Retakes have their own card, first on the page (study.panels.retake_panel).
    current = next((row for row in rows if row.state in ("in_progress", "open") and not row.is_retake), None)
    upcoming = next((row for row in rows if row.state == "upcoming"), None)
    return {"template": "quiz/_home_officer.html", "quiz": {"current": current, "upcoming": upcoming}}

"""How the reports name an assignment's result. The quiz status labels are shared msgids
("Absent" is 缺席 for sessions too); a report says 缺考 and 不合格."""

from flask_babel import lazy_gettext as _l

from quiz.models import AssignmentStatus

RESULT_LABELS = {
    AssignmentStatus.ASSIGNED: _l("Not taken yet"),
    AssignmentStatus.IN_PROGRESS: _l("Taking it"),
    AssignmentStatus.SUBMITTED: _l("Handed in"),
    AssignmentStatus.PASSED: _l("Passed the test"),
    AssignmentStatus.FAILED: _l("Failed the test"),
    AssignmentStatus.ABSENT: _l("Absent from the test"),
}


def result_label(status) -> str:
    return str(RESULT_LABELS[AssignmentStatus(status)])


def outstanding_state(row) -> str:
    """Where someone not yet 过关 stands: in which retake round, with make-up study done or not."""
    from flask_babel import gettext as _

    if row.round == 0:
        return _("Retake not open yet")
    where = _("Retake %(round)d", round=row.round)
    study = _("make-up done") if row.makeup_done else _("make-up study not done")
    escalated = _(", escalated") if row.escalated else ""
    return f"{where} · {study}{escalated}"

"""The exam report of E1 (tests/reports/conftest.py) as the east supervisor sees it."""

from reports import exam_report


def test_units_people_distribution_questions(campaign):
    exam, viewer = campaign["e1"], campaign["east_supervisor"]
    units = {u.unit.name: u for u in exam_report.unit_results(exam, viewer)}
    assert list(units) == ["东区城关派出所", "东区人民法院"]  # west is outside the east supervisor's view
    station, court = units["东区城关派出所"], units["东区人民法院"]
    assert (station.assigned, station.took, station.passed_first, station.passed_after) == (3, 2, 1, 2)
    assert (station.failed, station.absent, station.outstanding, station.average_score) == (1, 1, 1, 65.0)
    assert (court.assigned, court.took, court.passed_first, court.outstanding) == (3, 3, 2, 1)
    people = exam_report.exceptions(exam, viewer)
    assert [(a.user.username, a.status.value, exam_report.retake_status(a)) for a in people] == [
        ("s3", "absent", "补考未通过"),
        ("s2", "failed", "补考合格"),
        ("c2", "failed", "补考未通过"),
    ]
    counts = dict(exam_report.distribution(exam, viewer))
    assert sum(counts.values()) == 5
    assert (counts["40–49%"], counts["50–59%"], counts["70–79%"], counts["80–89%"], counts["90–100%"]) == (
        1,
        1,
        1,
        1,
        1,
    )
    stats = {s.question_id: s for s in exam_report.question_stats(exam, viewer)}
    q1, q2 = stats[campaign["q1"].id], stats[campaign["q2"].id]
    assert (q1.answered, q1.facility, q1.discrimination, q1.wrong_answer, q1.wrong_count) == (5, 0.6, 1.0, "B", 2)
    assert (q2.answered, q2.facility, q2.discrimination, q2.wrong_answer, q2.wrong_count) == (5, 0.4, 0.0, "C", 2)


def test_admin_sees_every_unit(campaign):
    units = exam_report.unit_results(campaign["e1"], campaign["admin"])
    assert sum(u.assigned for u in units) == 7
    assert [u.unit.name for u in units][-1] == "西区公安分局"


def test_who_may_see_an_exam(campaign):
    e1, e2 = campaign["e1"], campaign["e2"]
    assert exam_report.visible_to(e1, campaign["west_supervisor"])  # the city's test, their units' rows only
    assert not exam_report.visible_to(e2, campaign["west_supervisor"])  # east's own test
    assert not exam_report.visible_to(e1, campaign["s1"])

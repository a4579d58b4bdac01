"""Demo step: required readings, eight weeks of check-ins with realistic gaps, past sessions with
attendance and leave, a spot-check, warnings, and a session today whose sign-in is open."""

from datetime import time, timedelta

import sqlalchemy as sa

from accounts.models import User
from core import clock
from core.extensions import db
from question_bank.services import ensure_default_categories
from study import checkins, codes, leave, readings, sessions, spotchecks, warnings
from study.models import ReadingProgress, SessionKind, StudyMethod
from study.settings import setting

READINGS = (
    (
        "《习近平法治思想学习纲要》导读",
        "习近平法治思想",
        True,
        "<h2>学习要点</h2><p>习近平法治思想是全面依法治国的根本遵循和行动指南。政法干警要深刻领会“十一个坚持”的"
        "核心要义，坚持党对全面依法治国的领导，坚持以人民为中心。</p><ul><li>坚持党的绝对领导</li>"
        "<li>坚持严格规范公正文明执法</li><li>坚持建设德才兼备的高素质法治工作队伍</li></ul>",
    ),
    (
        "政法队伍教育整顿应知应会知识（一）",
        "政治教育",
        True,
        "教育整顿的主要任务：筑牢政治忠诚、清除害群之马、整治顽瘴痼疾、弘扬英模精神。\n\n"
        "总体安排分三个环节：学习教育、查纠整改、总结提升。每名干警都要做到应知应会、入脑入心。",
    ),
    (
        "违纪违法典型案例警示录",
        "警示教育",
        True,
        "本篇收录近年来政法系统违纪违法典型案例。请结合案例对照检查，做到以案为鉴、以案促改。\n\n"
        "案例一：某派出所民警违规插手经济纠纷……\n\n案例二：某法院干警违规会见当事人及其代理律师……",
    ),
    (
        "人民满意的政法干警：英模事迹选编",
        "英模教育",
        False,
        "<p>他们扎根基层、一心为民，用忠诚和担当诠释了新时代政法干警的使命。</p>"
        "<blockquote>“群众的事再小也是大事。”</blockquote>",
    ),
    (
        "《中国共产党纪律处分条例》学习要点",
        "党纪党规",
        True,
        "重点学习六项纪律：政治纪律、组织纪律、廉洁纪律、群众纪律、工作纪律、生活纪律。",
    ),
)

NOTES = (
    "学习了教育整顿的四项任务，认识到筑牢政治忠诚是首要任务，要在执法办案中体现对党忠诚。",
    "通过典型案例警示教育，深刻认识到顽瘴痼疾的危害，要对照检查自身，守住底线红线。",
    "学习习近平法治思想，理解了坚持以人民为中心的内涵，执法工作要让群众感受到公平正义。",
    "观看英模事迹专题片，深受触动，要学习英模扎根基层、甘于奉献的精神，做好本职工作。",
    "学习纪律处分条例的六项纪律，进一步明确了哪些能做、哪些不能做，增强了纪律意识。",
    "在线学习了应知应会知识并完成练习，对执法规范化的要求有了更具体的理解。",
    "参加支部集中学习，交流了查纠整改的体会，准备在接待群众中进一步改进工作作风。",
    "自学《政法工作条例》，重点学习了请示报告制度，今后要严格落实重大事项请示报告。",
)
METHODS = (StudyMethod.SELF, StudyMethod.SELF, StudyMethod.ONLINE, StudyMethod.CENTRALIZED)
SESSION_PLAN = (
    (SessionKind.CENTRALIZED, "集中学习：教育整顿动员部署"),
    (SessionKind.PARTY_LECTURE, "专题党课：筑牢政治忠诚"),
    (SessionKind.WARNING_EDUCATION, "警示教育大会：以案为鉴"),
    (SessionKind.NIGHT_SCHOOL, "政法夜校：执法规范化专题"),
    (SessionKind.HERO_REPORT, "英模事迹报告会"),
    (SessionKind.CENTRALIZED, "集中学习：习近平法治思想"),
    (SessionKind.SYMPOSIUM, "查纠整改座谈会"),
    (SessionKind.NIGHT_SCHOOL, "政法夜校：群众工作方法"),
)


def seed_study(now, rng, city):
    categories = {c.name: c for c in ensure_default_categories(now)}
    today = clock.local(now).date()
    officers = city["officers"]
    created = []
    for index, (title, category, required, body) in enumerate(READINGS):
        unit = city["city"] if index < 4 else city["districts"][0]
        created.append(
            readings.create_reading(
                None,
                title=title,
                unit=unit,
                category=categories.get(category),
                body=body,
                required=required,
                due_on=today + timedelta(days=7 * (index + 1)),
                now=now - timedelta(days=56),
            )
        )
    progress = [
        {"reading_id": r.id, "user_id": o.id, "read_at": now - timedelta(days=rng.randint(1, 50))}
        for r in created
        for o in officers
        if readings.applies_to(r, o) and rng.random() < 0.75 - 0.1 * created.index(r)
    ]
    db.session.execute(sa.insert(ReadingProgress), progress)

    entries = _history(today, officers, [r.id for r in created], rng)
    checkins.record_history(entries, now)
    held = _past_sessions(now, today, city, rng)
    session_today = _session_today(now, city)
    _leave_to_decide(now, today, city)
    for district in city["districts"]:
        checkin_days = (today - timedelta(days=7), today - timedelta(days=1))
        sample = spotchecks.draw_spot_check(
            None, unit=district, from_day=checkin_days[0], to_day=checkin_days[1], size=8, rng=rng, now=now
        )
        for item in sample.items[:5]:
            failed = rng.random() < 0.2
            spotchecks.mark_item(
                None,
                item,
                result="unqualified" if failed else "qualified",
                comment="笔记过于简单，缺少结合工作的体会" if failed else "内容充实",
                now=now,
            )
    issued = warnings.issue_warnings(now)
    return (
        f"{len(created)} readings, {len(entries)} check-ins over 8 weeks, {held} past sessions, "
        f"session today at {clock.local(session_today.starts_at):%H:%M}, {issued} warnings"
    )


def _history(today, officers, reading_ids, rng):
    """Eight weeks of check-ins: each officer has a habit; weekends and busy weeks leave gaps."""
    entries = []
    for officer in officers:
        diligence = rng.choice((0.97, 0.93, 0.88, 0.8, 0.6))
        for back in range(56, 0, -1):
            day = today - timedelta(days=back)
            chance = diligence - (0.25 if day.weekday() >= 5 else 0)
            if rng.random() > chance:
                continue
            late = rng.random() < 0.05
            made = clock.local_datetime(day + timedelta(days=1 if late else 0), time(21 if not late else 8, 30))
            entries.append(
                {
                    "user_id": officer.id,
                    "day": day,
                    "minutes": rng.choice((60, 90, 100, 120, 120, 120, 150, 180)),
                    "method": rng.choice(METHODS),
                    "notes": rng.choice(NOTES),
                    "reading_ids": rng.sample(reading_ids, rng.choice((0, 1, 1, 2))),
                    "late": late,
                    "created_at": made,
                }
            )
    return entries


def _past_sessions(now, today, city, rng):
    held = 0
    for district_index, district in enumerate(city["districts"]):
        for week, (kind, title) in enumerate(SESSION_PLAN):
            day = clock.week_start(today) - timedelta(days=7 * (len(SESSION_PLAN) - week)) + timedelta(days=2)
            start = clock.local_datetime(day, time(15 + district_index, 0))
            session = sessions.schedule_session(
                None,
                kind=kind,
                title=title,
                unit=district,
                starts_at=start,
                ends_at=start + timedelta(hours=2),
                speaker=rng.choice(("政法委副书记", "分局政委", "检察长", "法院院长", "司法局局长")),
                place=f"{district.name}三楼会议室",
                now=start - timedelta(days=5),
            )
            sessions.settle_roster(session, start)
            expected = [row.user_id for row in sessions.attendance_table(session)[sessions.AttendanceStatus.PENDING]]
            rng.shuffle(expected)
            on_leave = expected[:4]
            _leave_for(session, on_leave, start, rng)
            late = expected[4:9]
            step = setting("STUDY_SIGNIN_CODE_SECONDS")
            for offset, user_id in enumerate(late):
                at = start + timedelta(minutes=8 + offset)
                code = codes.current_code(session.secret, session.id, at, step)[0]
                sessions.sign_in(_user(user_id), session, code=code, now=at)
            present = [u for u in expected[9:] if rng.random() < 0.9]
            sessions.mark_present(None, session, present, start)
            held += 1
    sessions.close_due_sessions(now)
    return held


def _user(user_id):
    return db.session.get(User, user_id)


def _leave_for(session, user_ids, start, rng):
    for user_id in user_ids:
        request = leave.request_leave(
            _user(user_id),
            session,
            rng.choice(("外出办案", "值班备勤", "参加上级培训", "病假")),
            start - timedelta(days=1),
        )
        leave.decide_leave(None, request, approve=rng.random() < 0.85, note=None, now=start - timedelta(hours=20))


def _session_today(now, city):
    """Starts in about a quarter of an hour, so its sign-in is open from the moment the demo runs."""
    start = (now + timedelta(minutes=15)).replace(second=0, microsecond=0)
    return sessions.schedule_session(
        None,
        kind=SessionKind.CENTRALIZED,
        title="集中学习：习近平法治思想专题辅导",
        unit=city["districts"][0],
        starts_at=start,
        ends_at=start + timedelta(hours=2),
        speaker="区委政法委副书记",
        place="区委政法委三楼会议室",
        now=now,
    )


def _leave_to_decide(now, today, city):
    start = clock.local_datetime(today + timedelta(days=2), time(15, 0))
    session = sessions.schedule_session(
        None,
        kind=SessionKind.WARNING_EDUCATION,
        title="警示教育：身边案例剖析",
        unit=city["districts"][0],
        starts_at=start,
        ends_at=start + timedelta(hours=2),
        place="区委党校报告厅",
        now=now,
    )
    officer2 = city["officers"][len(city["officers"]) // 3]
    leave.request_leave(officer2, session, "当天在市局参加业务培训，无法到场。", now)

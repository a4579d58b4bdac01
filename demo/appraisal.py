"""Demo inspections (督查): each district's supervisor inspected two of its units in the last weeks,
with findings, some rectified by the unit's supervisors and some still open."""

from datetime import timedelta

import sqlalchemy as sa

from accounts.models import Role, Unit, User
from appraisal import inspections
from appraisal.models import InspectionKind
from core import clock
from core.extensions import db

FINDINGS = (
    ("部分干警学习笔记照抄原文，缺少心得体会", 14),
    ("集中学习签到表缺少请假审批记录", 7),
    ("个别干警连续多日未完成每日学习打卡", 10),
)


def seed_inspections(now, rng, city) -> str:
    recorded = rectified = 0
    for district in city["districts"]:
        supervisor = db.session.scalar(sa.select(User).where(User.unit_id == district.id, User.role == Role.SUPERVISOR))
        bodies = db.session.scalars(
            sa.select(Unit).where(Unit.parent_id == district.id).order_by(Unit.sort_order, Unit.id).limit(2)
        ).all()
        for weeks_ago, (kind, unit) in zip(
            (3, 1), ((InspectionKind.SPECIAL, bodies[0]), (InspectionKind.RANDOM, bodies[-1])), strict=True
        ):
            moment = now - timedelta(weeks=weeks_ago)
            day = clock.local(moment).date()
            inspection = inspections.record_inspection(
                supervisor,
                unit,
                day=day,
                kind=kind,
                inspectors=f"{district.name}督导组 {supervisor.full_name}",
                checked="学习笔记、集中学习签到表、每周测试组织及补课过关情况",
                findings=[(text, day + timedelta(days=days)) for text, days in rng.sample(FINDINGS, 2)],
                now=moment,
            )
            recorded += 1
            if weeks_ago == 3:
                rectifier = inspections.unit_supervisors(unit)
                actor = db.session.get(User, rectifier[0]) if rectifier else supervisor
                inspections.rectify_finding(
                    actor, inspection.findings[0], rectification="已逐人督促整改并复查", now=moment + timedelta(days=5)
                )
                rectified += 1
    return f"{recorded} inspections, {rectified} findings rectified"

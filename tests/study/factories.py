"""Factories for the study feature, built through its services (and committed, so requests see them)."""

from datetime import timedelta

import factory

from core import clock
from study import checkins, readings, sessions
from study.models import CheckIn, Reading, SessionKind, StudyMethod, StudySession
from tests.factories import ServiceFactory, UnitFactory

NOTES = "学习了政法队伍教育整顿的四项任务，体会到筑牢政治忠诚是根本，要对照检查自身不足。"


class ReadingFactory(ServiceFactory):
    class Meta:
        model = Reading

    title = factory.Sequence(lambda n: f"必学篇目{n}：习近平法治思想学习纲要")
    unit = factory.SubFactory(UnitFactory)
    category = None
    body = "第一段：坚持党对政法工作的绝对领导。\n\n第二段：坚持以人民为中心。"
    required = True
    due_on = None
    pdf = None

    @classmethod
    def _build_object(cls, **kwargs):
        return readings.create_reading(None, now=clock.now(), **kwargs)


class StudySessionFactory(ServiceFactory):
    """A session starting in an hour, lasting two (relative to the clock when it is built)."""

    class Meta:
        model = StudySession

    kind = SessionKind.CENTRALIZED
    title = factory.Sequence(lambda n: f"集中学习第{n}期：政法英模事迹报告")
    unit = factory.SubFactory(UnitFactory)
    starts_at = factory.LazyFunction(lambda: clock.now() + timedelta(hours=1))
    ends_at = factory.LazyAttribute(lambda o: o.starts_at + timedelta(hours=2))
    speaker = "张主任"
    place = "分局三楼会议室"

    @classmethod
    def _build_object(cls, **kwargs):
        return sessions.schedule_session(None, now=clock.now(), **kwargs)


class CheckInFactory(ServiceFactory):
    """Today's check-in of `user` (pass day= for a back-fill within the allowed days)."""

    class Meta:
        model = CheckIn

    user = None
    day = factory.LazyFunction(clock.today)
    minutes = 90
    method = StudyMethod.SELF
    reading_ids = ()
    notes = NOTES

    @classmethod
    def _build_object(cls, **kwargs):
        return checkins.save_checkin(kwargs.pop("user"), now=clock.now(), **kwargs)

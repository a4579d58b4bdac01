"""factory_boy factories. They build through the services, as the app does, and commit, so that
requests made by the test client (in their own session) see the rows."""

from datetime import UTC, datetime

import factory

from accounts import services, units
from accounts.models import Role, Unit, UnitKind, User
from core import clock
from core.extensions import db
from notices.models import Notice

TEST_PASSWORD = "correct-horse-battery-2026"
ACCOUNTS_SINCE = datetime(2026, 1, 1, tzinfo=UTC)


class ServiceFactory(factory.Factory):
    """Base: subclasses implement `_build_object(**kwargs)` with a service call."""

    class Meta:
        abstract = True

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        obj = cls._build_object(**kwargs)
        db.session.commit()
        return obj


class UnitFactory(ServiceFactory):
    class Meta:
        model = Unit

    name = factory.Sequence(lambda n: f"测试单位{n}")
    kind = UnitKind.DEPARTMENT
    parent = None

    @classmethod
    def _build_object(cls, **kwargs):
        return units.create_unit(None, now=clock.now(), **kwargs)


class UserFactory(ServiceFactory):
    class Meta:
        model = User

    username = factory.Sequence(lambda n: f"9{n:05d}")
    full_name = factory.Sequence(lambda n: f"测试干警{n}")
    unit = factory.SubFactory(UnitFactory)
    role = Role.OFFICER
    phone = None
    password = TEST_PASSWORD

    @classmethod
    def _build_object(cls, **kwargs):
        # People exist from well before any test's frozen clock unless the test says when they
        # joined (`created_at`): figures and check-ins count nobody before their account.
        created_at = kwargs.pop("created_at", None) or ACCOUNTS_SINCE
        user, _ = services.create_user(None, now=created_at, **kwargs)
        return user


class SupervisorFactory(UserFactory):
    role = Role.SUPERVISOR


class AdminFactory(UserFactory):
    role = Role.ADMIN


class NoticeFactory(factory.alchemy.SQLAlchemyModelFactory):
    class Meta:
        model = Notice
        sqlalchemy_session_factory = lambda: db.session  # noqa: E731
        sqlalchemy_session_persistence = "commit"

    user_id = factory.LazyAttribute(lambda o: UserFactory().id)
    kind = "test"
    title = "Test notice"
    params = factory.LazyFunction(dict)
    created_at = factory.LazyFunction(clock.now)


def tree():
    """A small unit tree used across tests:

    city
    ├── east            (district 1)
    │   ├── east_police
    │   │   └── east_station
    │   └── east_court
    └── west            (district 2)
        └── west_police
    """
    city = UnitFactory(name="测试市委政法委", kind=UnitKind.COMMITTEE)
    east = UnitFactory(name="东区政法委", kind=UnitKind.COMMITTEE, parent=city)
    east_police = UnitFactory(name="东区公安分局", kind=UnitKind.POLICE, parent=east)
    east_station = UnitFactory(name="东区城关派出所", kind=UnitKind.DEPARTMENT, parent=east_police)
    east_court = UnitFactory(name="东区人民法院", kind=UnitKind.COURT, parent=east)
    west = UnitFactory(name="西区政法委", kind=UnitKind.COMMITTEE, parent=city)
    west_police = UnitFactory(name="西区公安分局", kind=UnitKind.POLICE, parent=west)
    return {
        "city": city,
        "east": east,
        "east_police": east_police,
        "east_station": east_station,
        "east_court": east_court,
        "west": west,
        "west_police": west_police,
    }

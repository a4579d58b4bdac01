"""X8: password hashing and policy, one-time passwords, no default admin."""

import pytest

from accounts import passwords, services
from accounts.models import Role, User
from config import DevelopmentConfig
from core import clock
from core.errors import ValidationFailed
from core.extensions import db


def test_hash_method_is_scrypt_by_default_and_pbkdf2_in_tests(app):
    assert DevelopmentConfig().PASSWORD_HASH_METHOD == "scrypt"
    assert passwords.hash_password("long enough phrase").startswith("pbkdf2:sha256")


@pytest.mark.parametrize("bad", ["short", "1234567", "12345678", "password", "qwerty123", "woaini1314"])
def test_short_or_common_passwords_are_refused(app, bad):
    with pytest.raises(ValidationFailed):
        passwords.check_policy(bad)


@pytest.mark.parametrize(
    "good", ["a" * 64 + "b" * 40, "我爱学习应知应会", "🚓🚓🚓🚓 police", "lowercase only long", "12345678901x"]
)
def test_long_or_any_character_passwords_are_accepted(app, good):
    passwords.check_policy(good)


def test_password_equal_to_the_number_is_refused(app):
    with pytest.raises(ValidationFailed):
        passwords.check_policy("31000123", username="31000123")


def test_bulk_created_accounts_get_random_one_time_passwords(world):
    created = []
    for n in range(5):
        user, one_time = services.create_user(
            None, username=f"bulk{n}", full_name="批量", unit=world["east_station"], role=Role.OFFICER, now=clock.now()
        )
        created.append((user, one_time))
    db.session.commit()
    secrets_ = [p for _u, p in created]
    assert len(set(secrets_)) == 5 and all(len(p) >= 10 for p in secrets_)
    assert all(u.must_change_password for u, _p in created)
    assert all(passwords.verify_password(u.password_hash, p) for u, p in created)


def test_one_time_passwords_get_a_quick_hash_the_chosen_password_the_slow_one(world, app, monkeypatch):
    """A one-time password is 12 random characters (about 69 bits) stored with a quick hash, so a
    roster of hundreds imports within the worker's timeout; the password its holder then chooses
    gets the configured slow hash; a sign-in with a one-time account still takes a slow check's time."""
    import time

    monkeypatch.setitem(app.config, "PASSWORD_HASH_METHOD", "scrypt")
    user, one_time = services.create_user(
        None, username="roster1", full_name="名册", unit=world["east_station"], role=Role.OFFICER, now=clock.now()
    )
    db.session.commit()
    assert len(one_time) == 12 and set(one_time) <= set(passwords.ONE_TIME_ALPHABET)
    assert user.password_hash.startswith(passwords.ONE_TIME_HASH_METHOD + "$")
    assert services.authenticate("roster1", one_time) == user
    assert services.authenticate("roster1", one_time[:-1]) is None

    def quickest(check):
        times = []
        for _ in range(3):
            started = time.perf_counter()
            check()
            times.append(time.perf_counter() - started)
        return min(times)

    slow = quickest(lambda: passwords.verify_dummy("wrong"))
    assert quickest(lambda: services.authenticate("roster1", "wrong")) >= 0.5 * slow

    services.change_password(user, current=one_time, new="我选的新密码很长", now=clock.now())
    db.session.commit()
    assert user.password_hash.startswith("scrypt:") and not user.must_change_password
    assert services.authenticate("roster1", "我选的新密码很长") == user
    reset = services.reset_password(None, user, clock.now())
    assert len(reset) == 12 and user.password_hash.startswith(passwords.ONE_TIME_HASH_METHOD + "$")


def test_a_freshly_migrated_database_has_no_accounts(app):
    """No default admin: only seed-demo (refused in production) creates demo accounts."""
    assert db.session.query(User).count() == 0


def test_seed_demo_refuses_the_production_configuration(app, runner):
    app.config["YINGZHI_ENV"] = "production"
    result = runner.invoke(args=["seed-demo"])
    assert result.exit_code != 0 and "production" in result.output
    assert db.session.query(User).count() == 0

"""Notes spot-checks (学习笔记抽查): a random sample of a unit's check-ins, each marked qualified or
not with a comment. An officer whose notes fail is notified. Items stay queryable by officer,
unit and day for the reports."""

import math
import random
from datetime import date, timedelta

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from accounts import audit
from accounts.models import Role, Unit, User
from accounts.scope import ensure_unit_in_scope
from core.errors import NotFound, ValidationFailed
from core.extensions import db
from notices.services import notify
from study.models import N_, CheckIn, SpotCheck, SpotCheckItem, SpotCheckResult

MAX_RANGE_DAYS = 92
MAX_SAMPLE = 500


def draw_spot_check(
    actor, *, unit: Unit, from_day: date, to_day: date, size=None, percent=None, rng=None, now
) -> SpotCheck:
    """Draw a sample of the check-ins made by officers of `unit`'s subtree between two days
    (inclusive): `size` check-ins, or `percent` of them (at least one). Raises PermissionDenied,
    ValidationFailed (bad range, no sample size, nothing to sample)."""
    ensure_unit_in_scope(actor, unit)
    if from_day is None or to_day is None or to_day < from_day:
        raise ValidationFailed(_l("The end day must not be before the start day."), field="to_day")
    if to_day - from_day > timedelta(days=MAX_RANGE_DAYS):
        raise ValidationFailed(_l("Choose at most %(days)d days.", days=MAX_RANGE_DAYS), field="to_day")
    if (size is None) == (percent is None):
        raise ValidationFailed(_l("Give either a number of check-ins or a percentage."), field="size")
    if size is not None and not 1 <= int(size) <= MAX_SAMPLE:
        raise ValidationFailed(_l("The sample size is from 1 to %(max)d.", max=MAX_SAMPLE), field="size")
    if percent is not None and not 1 <= int(percent) <= 100:
        raise ValidationFailed(_l("The percentage is from 1 to 100."), field="percent")
    population = db.session.execute(
        sa.select(CheckIn.id, CheckIn.user_id)
        .join(User, CheckIn.user_id == User.id)
        .join(Unit, User.unit_id == Unit.id)
        .where(
            Unit.path.startswith(unit.path),
            User.role == Role.OFFICER,
            CheckIn.day >= from_day,
            CheckIn.day <= to_day,
        )
        .order_by(CheckIn.id)
    ).all()
    if not population:
        raise ValidationFailed(_l("There are no check-ins to sample in this unit and period."), field="from_day")
    wanted = int(size) if size is not None else math.ceil(len(population) * int(percent) / 100)
    sample = (rng or random.SystemRandom()).sample(population, min(wanted, len(population), MAX_SAMPLE))
    spot_check = SpotCheck(
        unit=unit,
        from_day=from_day,
        to_day=to_day,
        population=len(population),
        created_by_id=actor.id if actor is not None else None,
        created_at=now,
    )
    spot_check.items = [SpotCheckItem(checkin_id=cid, user_id=uid) for cid, uid in sorted(sample)]
    db.session.add(spot_check)
    db.session.flush()
    return spot_check


def mark_item(actor, item: SpotCheckItem, *, result, comment=None, now) -> SpotCheckItem:
    """Mark a sampled check-in qualified or not (a failed mark needs a comment). It may be marked
    again; the officer is notified of a failed check once."""
    ensure_unit_in_scope(actor, item.spot_check.unit)
    try:
        result = SpotCheckResult(result)
    except ValueError:
        raise ValidationFailed(_l("Choose qualified or not qualified."), field="result") from None
    comment = (comment or "").strip()
    if result == SpotCheckResult.UNQUALIFIED and not comment:
        raise ValidationFailed(_l("Say what is missing when notes are not qualified."), field="comment")
    if len(comment) > 500:
        raise ValidationFailed(_l("The comment is longer than 500 characters."), field="comment")
    item.result, item.comment = result, comment or None
    item.reviewed_by_id, item.reviewed_at = (actor.id if actor is not None else None), now
    audit.record(
        "study.spotcheck_marked",
        actor=actor,
        target=item,
        detail={"result": result.value, "comment": item.comment, "officer": item.user_id},
    )
    if result == SpotCheckResult.UNQUALIFIED:
        notify(
            [item.user_id],
            kind="study.spotcheck",
            title=N_("Your study notes of %(day)s did not pass the spot-check: %(comment)s"),
            params={"day": item.checkin.day.isoformat(), "comment": comment},
            link=f"/study/checkin?month={item.checkin.day:%Y-%m}",
            dedupe_key=f"study-spotcheck:{item.id}",
            now=now,
        )
    db.session.flush()
    return item


def spot_checks_for(actor) -> sa.Select:
    query = sa.select(SpotCheck).join(Unit, SpotCheck.unit_id == Unit.id).order_by(SpotCheck.created_at.desc())
    if actor.role != Role.ADMIN:
        query = query.where(Unit.path.startswith(actor.unit.path))
    return query


def counts(spot_check: SpotCheck) -> dict:
    results = [item.result for item in spot_check.items]
    return {
        "total": len(results),
        "qualified": results.count(SpotCheckResult.QUALIFIED),
        "unqualified": results.count(SpotCheckResult.UNQUALIFIED),
        "open": results.count(None),
    }


def results_for(user: User) -> list[SpotCheckItem]:
    """The marked spot-check items of one officer's check-ins (their own record)."""
    return db.session.scalars(
        sa.select(SpotCheckItem)
        .where(SpotCheckItem.user_id == user.id, SpotCheckItem.result.is_not(None))
        .order_by(SpotCheckItem.reviewed_at.desc())
    ).all()


def get_spot_check(spot_check_id: int) -> SpotCheck:
    spot_check = db.session.get(SpotCheck, spot_check_id)
    if spot_check is None:
        raise NotFound(_l("This spot-check was not found."))
    return spot_check


def get_item(item_id: int) -> SpotCheckItem:
    item = db.session.get(SpotCheckItem, item_id)
    if item is None:
        raise NotFound(_l("This spot-check item was not found."))
    return item

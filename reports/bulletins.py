"""Weekly bulletins (通报): drafted from a week's figures as plain text (reports.bulletin_compose,
in the structure reports.bulletin_text reads), reviewed and edited by a supervisor, published
(posted as a notice to everyone in the scope) and kept.

draft_weekly_bulletins(now) is the Monday job: last week's draft for the city and each district,
once (running it again drafts nothing new)."""

from datetime import timedelta

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from accounts.models import Role, Unit, User
from accounts.scope import ensure_unit_in_scope
from core import clock
from core.errors import DomainError, ValidationFailed
from core.extensions import db
from notices import services as notices
from reports.bulletin_compose import compose
from reports.models import Bulletin, BulletinStatus
from reports.settings import bulletin_names_people

JOB_MAX_DEPTH = 1  # the Monday job drafts for the city (depth 0) and the districts (depth 1)


def draft_bulletin(actor, unit: Unit, monday, now) -> Bulletin:
    """The bulletin of `unit` for the week starting `monday`: an existing one, or a new draft."""
    ensure_unit_in_scope(actor, unit)
    existing = db.session.scalar(sa.select(Bulletin).where(Bulletin.unit_id == unit.id, Bulletin.week_start == monday))
    if existing is not None:
        return existing
    names = bulletin_names_people()
    title, body = compose(unit, monday, names)
    bulletin = Bulletin(
        unit_id=unit.id,
        week_start=monday,
        title=title[:200],
        body=body,
        names_people=names,
        created_at=now,
        updated_at=now,
        edited_by_id=actor.id if actor else None,
    )
    db.session.add(bulletin)
    db.session.flush()
    return bulletin


def draft_weekly_bulletins(now) -> int:
    """Draft last week's bulletin for the city and each district that has none yet. Flushes (the
    job runner commits); returns how many were drafted."""
    today = clock.local(now).date()
    monday = clock.week_start(today) - timedelta(days=7)
    units = db.session.scalars(
        sa.select(Unit).where(Unit.active, Unit.depth <= JOB_MAX_DEPTH).order_by(Unit.path)
    ).all()
    done = set(db.session.scalars(sa.select(Bulletin.unit_id).where(Bulletin.week_start == monday)))
    drafted = 0
    for unit in units:
        if unit.id not in done:
            draft_bulletin(None, unit, monday, now)
            drafted += 1
    db.session.flush()
    return drafted


def ensure_draft(bulletin: Bulletin):
    if bulletin.status != BulletinStatus.DRAFT:
        raise DomainError(_l("This bulletin has been published and can no longer be changed."))


def update_bulletin(actor, bulletin: Bulletin, *, title: str, body: str, now) -> Bulletin:
    ensure_unit_in_scope(actor, bulletin.unit)
    ensure_draft(bulletin)
    title, body = (title or "").strip(), (body or "").strip()
    if not title:
        raise ValidationFailed(_l("The bulletin needs a title."), field="title")
    if len(title) > 200:
        raise ValidationFailed(_l("The title is too long (200 characters at most)."), field="title")
    if not body:
        raise ValidationFailed(_l("The bulletin needs some text."), field="body")
    if len(body) > 50000:
        raise ValidationFailed(_l("The text is too long."), field="body")
    bulletin.title, bulletin.body, bulletin.updated_at = title, body, now
    bulletin.edited_by_id = actor.id if actor else None
    return bulletin


def publish_bulletin(actor, bulletin: Bulletin, now, link: str | None = None) -> int:
    """Publish and post a notice to every active person in the bulletin's scope; returns how many."""
    ensure_unit_in_scope(actor, bulletin.unit)
    ensure_draft(bulletin)
    bulletin.status = BulletinStatus.PUBLISHED
    bulletin.published_at = now
    bulletin.published_by_id = actor.id if actor else None
    people = db.session.scalars(
        sa.select(User.id)
        .join(Unit, Unit.id == User.unit_id)
        .where(Unit.path.startswith(bulletin.unit.path), User.active.is_(True))
    ).all()
    return notices.notify(
        people,
        kind="bulletin",
        title=_l("Bulletin: %(title)s"),
        params={"title": bulletin.title},
        link=link,
        dedupe_key=f"bulletin-{bulletin.id}",
        now=now,
    )


def may_read(viewer: User, bulletin: Bulletin) -> bool:
    """Supervisors: bulletins of units in their subtree (drafts too). Everyone in a bulletin's scope:
    it once published."""
    if viewer.role == Role.ADMIN:
        return True
    if viewer.role == Role.SUPERVISOR and viewer.unit.contains(bulletin.unit):
        return True
    return bulletin.status == BulletinStatus.PUBLISHED and bulletin.unit.contains(viewer.unit)


def bulletins_for(viewer: User) -> sa.Select:
    """Bulletins `viewer` may read, newest week first."""
    query = sa.select(Bulletin).join(Unit, Unit.id == Bulletin.unit_id).order_by(Bulletin.week_start.desc(), Unit.path)
    if viewer.role == Role.ADMIN:
        return query
    ancestors = [int(p) for p in viewer.unit.path.strip("/").split("/") if p]
    published_above = sa.and_(Bulletin.status == BulletinStatus.PUBLISHED, Bulletin.unit_id.in_(ancestors))
    if viewer.role == Role.SUPERVISOR:
        return query.where(sa.or_(Unit.path.startswith(viewer.unit.path), published_above))
    return query.where(published_above)

"""Post, list and mark notices. Callers commit."""

import sqlalchemy as sa
from flask_babel import gettext

from core.extensions import db
from notices.models import Notice


def notify(
    user_ids,
    *,
    kind: str,
    title: str,
    params: dict | None = None,
    body: str | None = None,
    link: str | None = None,
    dedupe_key: str | None = None,
    now,
) -> int:
    """Post one notice to each user. `title` is an English msgid marked with lazy_gettext or N_
    at the call site, with %(name)s placeholders filled from `params` when shown.

    With a dedupe_key, users who already have a notice with that key get none: running a
    reminder job twice posts once. Returns the number of notices posted.
    """
    user_ids = list(dict.fromkeys(user_ids))
    if not user_ids:
        return 0
    if dedupe_key is not None:
        already = set(
            db.session.scalars(
                sa.select(Notice.user_id).where(Notice.dedupe_key == dedupe_key, Notice.user_id.in_(user_ids))
            )
        )
        user_ids = [uid for uid in user_ids if uid not in already]
    db.session.add_all(
        Notice(
            user_id=uid,
            kind=kind,
            title=str(title),
            params=params or {},
            body=body,
            link=link,
            dedupe_key=dedupe_key,
            created_at=now,
        )
        for uid in user_ids
    )
    return len(user_ids)


def render_title(notice: Notice) -> str:
    """The notice's title in the current language."""
    try:
        return gettext(notice.title, **(notice.params or {}))
    except (KeyError, ValueError, TypeError):
        return notice.title


def unread_count(user_id: int) -> int:
    return db.session.scalar(
        sa.select(sa.func.count()).select_from(Notice).where(Notice.user_id == user_id, Notice.read_at.is_(None))
    )


def notices_for(user_id: int) -> sa.Select:
    return sa.select(Notice).where(Notice.user_id == user_id).order_by(Notice.created_at.desc(), Notice.id.desc())


def mark_read(user_id: int, notice_id: int, now) -> Notice | None:
    """Mark one of the user's own notices read; None if it is not theirs."""
    notice = db.session.get(Notice, notice_id)
    if notice is None or notice.user_id != user_id:
        return None
    if notice.read_at is None:
        notice.read_at = now
    return notice


def mark_all_read(user_id: int, now) -> None:
    db.session.execute(sa.update(Notice).where(Notice.user_id == user_id, Notice.read_at.is_(None)).values(read_at=now))

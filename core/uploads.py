"""Uploaded files kept between an import's dry run and its confirmation.

Stored in the database, not on an app server's disk, so the confirming request may land on any
server. Kept a day at most.
"""

import secrets
from datetime import datetime, timedelta

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Mapped, mapped_column

from core.errors import NotFound
from core.extensions import db

KEEP_FOR = timedelta(days=1)


class PendingUpload(db.Model):
    __tablename__ = "pending_uploads"

    id: Mapped[str] = mapped_column(sa.String(43), primary_key=True)
    owner_id: Mapped[int] = mapped_column(index=True)  # a user id; no foreign key, core is below accounts
    purpose: Mapped[str] = mapped_column(sa.String(40))
    filename: Mapped[str] = mapped_column(sa.String(255))
    data: Mapped[bytes] = mapped_column(sa.LargeBinary)
    created_at: Mapped[datetime]


def keep_upload(owner_id: int, purpose: str, filename: str, data: bytes, now) -> PendingUpload:
    """Store an upload for later confirmation, dropping this owner's expired ones."""
    db.session.execute(sa.delete(PendingUpload).where(PendingUpload.created_at < now - KEEP_FOR))
    upload = PendingUpload(
        id=secrets.token_urlsafe(32), owner_id=owner_id, purpose=purpose, filename=filename, data=data, created_at=now
    )
    db.session.add(upload)
    return upload


def take_upload(token: str, owner_id: int, purpose: str, now) -> PendingUpload:
    """The owner's pending upload for `purpose`, or NotFound if it expired or is someone else's."""
    upload = db.session.get(PendingUpload, token or "")
    if upload is None or upload.owner_id != owner_id or upload.purpose != purpose or upload.created_at < now - KEEP_FOR:
        raise NotFound(_l("The uploaded file has expired. Please upload it again."))
    return upload


def prune_expired_uploads(now) -> int:
    """Delete uploads older than KEEP_FOR; returns how many."""
    result = db.session.execute(sa.delete(PendingUpload).where(PendingUpload.created_at < now - KEEP_FOR))
    return result.rowcount or 0

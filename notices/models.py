"""In-app notices, one row per recipient."""

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from core.extensions import db


class Notice(db.Model):
    """A message to one user. The title is a msgid with parameters, translated when shown, so a
    notice reads in whichever language its reader has chosen."""

    __tablename__ = "notices"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(sa.String(40))
    title: Mapped[str] = mapped_column(sa.String(200))
    params: Mapped[dict] = mapped_column(sa.JSON, default=dict)
    body: Mapped[str | None] = mapped_column(sa.Text)
    link: Mapped[str | None] = mapped_column(sa.String(300))
    # Makes a notice idempotent: the same reminder for the same thing is posted once.
    dedupe_key: Mapped[str | None] = mapped_column(sa.String(120))
    created_at: Mapped[datetime] = mapped_column(index=True)
    read_at: Mapped[datetime | None]

    __table_args__ = (
        sa.Index("ix_notices_user_unread", "user_id", "read_at"),
        sa.UniqueConstraint("user_id", "dedupe_key", name="uq_notices_user_dedupe"),
    )

"""A bulletin as an official document (公文, GB/T 9704-2012) for reports.gongwen to lay out: the
unit issues it to its subordinate units, numbered 〔year〕N号 in the order the unit published its
bulletins that year, with the bulletin's title and its text read as sections, subsections and
tables (reports.bulletin_text); signed by the unit on the day it was published."""

from datetime import date, time

import sqlalchemy as sa
from flask_babel import gettext as _

from accounts.models import Unit
from core import clock
from core.extensions import db
from reports.bulletin_text import parse
from reports.gongwen import OfficialDocument, RecordBlock, Section, render_docx
from reports.models import Bulletin, BulletinStatus

MAX_ADDRESSEES = 8  # named one by one up to this many; beyond, 各下属单位


def issue_date(bulletin: Bulletin, today: date) -> date:
    """The day it was published; a draft is dated today (the day it would go out)."""
    return clock.local(bulletin.published_at).date() if bulletin.published_at else today


def document_number(bulletin: Bulletin, today: date) -> str:
    """〔2026〕3号: the third bulletin the unit published in 2026. A draft takes the number it would
    get if published today."""
    issued = issue_date(bulletin, today)
    year_start = clock.local_datetime(date(issued.year, 1, 1), time.min)
    published = sa.and_(
        Bulletin.unit_id == bulletin.unit_id,
        Bulletin.status == BulletinStatus.PUBLISHED,
        Bulletin.published_at >= year_start,
    )
    if bulletin.published_at is not None:  # those published before it (by id within the same instant)
        published = sa.and_(
            published,
            sa.or_(
                Bulletin.published_at < bulletin.published_at,
                sa.and_(Bulletin.published_at == bulletin.published_at, Bulletin.id <= bulletin.id),
            ),
        )
    count = db.session.scalar(sa.select(sa.func.count()).select_from(Bulletin).where(published))
    return f"〔{issued.year}〕{count + (0 if bulletin.published_at else 1)}号"


def addressees(unit: Unit) -> str:
    """The unit's active subordinate units, 、-separated (or 各下属单位 when there are many)."""
    names = db.session.scalars(
        sa.select(Unit.name).where(Unit.parent_id == unit.id, Unit.active).order_by(Unit.sort_order, Unit.id)
    ).all()
    if not names or len(names) > MAX_ADDRESSEES:
        return _("All subordinate units")
    return "、".join(names)


def official_document(bulletin: Bulletin, today: date) -> OfficialDocument:
    text = parse(bulletin.body)
    sections = text.sections or [Section(_("Bulletin"), text.opening)]
    issued = issue_date(bulletin, today)
    return OfficialDocument(
        issuing_organ=bulletin.unit.name,
        number=document_number(bulletin, today),
        title=bulletin.title,
        addressees=addressees(bulletin.unit),
        opening=text.opening if text.sections else [],
        sections=sections,
        signature=bulletin.unit.name,
        date=issued,
        record=RecordBlock(printed_by=bulletin.unit.name, printed_on=issued),
    )


def bulletin_docx(bulletin: Bulletin, today: date) -> bytes:
    """The bulletin as a .docx laid out as a 公文."""
    return render_docx(official_document(bulletin, today))

"""Required readings (必学篇目): who they apply to, safe bodies and PDFs, and who has read them.

A reading applies to every officer whose unit lies in the reading's unit subtree. Supervisors
manage (edit) readings of their own subtree and see, read-only, those set for a unit above them,
with progress counted over their own people only.
"""

import re
from datetime import date

import nh3
import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from markupsafe import Markup, escape

from accounts.models import Role, Unit, User
from accounts.scope import can_manage_unit, ensure_unit_in_scope
from core.errors import NotFound, ValidationFailed
from core.extensions import db
from question_bank.models import Category
from study.models import Reading, ReadingFile, ReadingProgress
from study.rows import insert_once

ALLOWED_TAGS = {"p", "br", "strong", "b", "em", "i", "u", "h2", "h3", "h4", "ul", "ol", "li", "blockquote", "a", "hr"}
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}}
MAX_PDF_BYTES = 10 * 1024 * 1024
LOOKS_LIKE_HTML = re.compile(r"<\s*/?\s*[a-zA-Z][a-zA-Z0-9]*[^<>]*>")


def clean_body(raw: str | None) -> str | None:
    """Sanitised HTML for a reading body. Plain text (no tags) becomes paragraphs; HTML keeps only
    simple formatting, and links only to http(s) (rel="noopener noreferrer")."""
    raw = (raw or "").strip()
    if not raw:
        return None
    if not LOOKS_LIKE_HTML.search(raw):
        paragraphs = [p.strip() for p in re.split(r"\n\s*\n", raw.replace("\r\n", "\n")) if p.strip()]
        raw = "".join(f"<p>{escape(p)}</p>".replace("\n", "<br>") for p in paragraphs)
    return nh3.clean(
        raw,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes={"http", "https"},
        link_rel="noopener noreferrer",
    )


def safe_html(body_html: str | None) -> Markup:
    """A stored body, sanitised once more on the way out, ready for a template."""
    return Markup(  # noqa: S704 (the text has just been through nh3 with a tag allow-list)
        nh3.clean(
            body_html or "",
            tags=ALLOWED_TAGS,
            attributes=ALLOWED_ATTRIBUTES,
            url_schemes={"http", "https"},
            link_rel="noopener noreferrer",
        )
    )


def ancestor_ids(unit: Unit) -> list[int]:
    """Ids of `unit` and every unit above it, from its materialised path."""
    return [int(part) for part in unit.path.strip("/").split("/") if part]


def readings_for(user: User) -> sa.Select:
    """Active readings that apply to `user` (set for their unit or any unit above), required first."""
    return (
        sa.select(Reading)
        .where(Reading.active, Reading.unit_id.in_(ancestor_ids(user.unit)))
        .order_by(Reading.required.desc(), Reading.due_on.is_(None), Reading.due_on, Reading.id.desc())
    )


def readings_managed_by(actor: User) -> sa.Select:
    """Readings a supervisor sees: set in their subtree, or set above them for their people."""
    query = sa.select(Reading).join(Unit, Reading.unit_id == Unit.id).order_by(Reading.id.desc())
    if actor.role == Role.ADMIN:
        return query
    return query.where(sa.or_(Unit.path.startswith(actor.unit.path), Reading.unit_id.in_(ancestor_ids(actor.unit))))


def applies_to(reading: Reading, user: User) -> bool:
    return reading.active and user.unit.path.startswith(reading.unit.path)


def ensure_reading_visible(user: User, reading: Reading) -> None:
    """NotFound unless the reading applies to `user`, or `user` manages or is covered by it."""
    if applies_to(reading, user):
        return
    if user.role == Role.ADMIN or (
        user.role == Role.SUPERVISOR and (can_manage_unit(user, reading.unit) or reading.unit.contains(user.unit))
    ):
        return
    raise NotFound(_l("This reading was not found."))


def _check_fields(title, due_on):
    title = (title or "").strip()
    if not title:
        raise ValidationFailed(_l("The reading needs a title."), field="title")
    if len(title) > 200:
        raise ValidationFailed(_l("The title is too long."), field="title")
    if due_on is not None and not isinstance(due_on, date):
        raise ValidationFailed(_l("The due date is not a date."), field="due_on")
    return title


def _check_pdf(filename: str, content: bytes) -> tuple[str, bytes]:
    if not content.startswith(b"%PDF-"):
        raise ValidationFailed(_l("The attachment must be a PDF file."), field="pdf")
    if len(content) > MAX_PDF_BYTES:
        raise ValidationFailed(_l("The PDF is larger than 10 MB."), field="pdf")
    name = (filename or "reading.pdf").replace("\\", "/").rsplit("/", 1)[-1].strip()[:200] or "reading.pdf"
    return name, content


def _attach(reading: Reading, pdf, now):
    if pdf is None:
        return
    name, content = _check_pdf(*pdf)
    if reading.file is None:
        reading.file = ReadingFile(filename=name, size=len(content), content=content, uploaded_at=now)
    else:
        reading.file.filename, reading.file.size, reading.file.content = name, len(content), content
        reading.file.uploaded_at = now


def create_reading(
    actor, *, title, unit: Unit, category: Category | None, body=None, required=True, due_on=None, pdf=None, now
) -> Reading:
    """Add a reading for `unit`'s subtree. `pdf` is (filename, bytes) or None; a reading needs a
    body or a PDF. Raises ValidationFailed, PermissionDenied (unit outside the actor's scope)."""
    ensure_unit_in_scope(actor, unit)
    title = _check_fields(title, due_on)
    body_html = clean_body(body)
    if body_html is None and pdf is None:
        raise ValidationFailed(_l("Give the reading a text or attach a PDF."), field="body")
    reading = Reading(
        title=title,
        unit=unit,
        category=category,
        body_html=body_html,
        required=bool(required),
        due_on=due_on,
        active=True,
        author_id=actor.id if actor is not None else None,
        created_at=now,
        updated_at=now,
    )
    _attach(reading, pdf, now)
    db.session.add(reading)
    db.session.flush()
    return reading


def update_reading(
    actor, reading: Reading, *, title, unit: Unit, category, body=None, required=True, due_on=None, pdf=None, now
) -> Reading:
    """Change a reading the actor manages (and may move it only within their scope)."""
    ensure_unit_in_scope(actor, reading.unit)
    ensure_unit_in_scope(actor, unit)
    reading.title = _check_fields(title, due_on)
    reading.body_html = clean_body(body)
    _attach(reading, pdf, now)
    if reading.body_html is None and reading.file is None:
        raise ValidationFailed(_l("Give the reading a text or attach a PDF."), field="body")
    reading.unit, reading.category, reading.required, reading.due_on = unit, category, bool(required), due_on
    reading.updated_at = now
    return reading


def set_reading_active(actor, reading: Reading, active: bool, now) -> Reading:
    """Withdraw (or restore) a reading; progress already recorded is kept."""
    ensure_unit_in_scope(actor, reading.unit)
    reading.active, reading.updated_at = active, now
    return reading


def mark_read(user: User, reading: Reading, now) -> ReadingProgress:
    """Record that `user` read `reading` (idempotent: a second call returns the first record)."""
    if not applies_to(reading, user):
        raise NotFound(_l("This reading was not found."))
    existing = db.session.scalar(sa.select(ReadingProgress).filter_by(reading_id=reading.id, user_id=user.id))
    if existing is not None:
        return existing
    progress = ReadingProgress(reading_id=reading.id, user_id=user.id, read_at=now)
    if insert_once(progress):
        return progress
    return db.session.scalar(sa.select(ReadingProgress).filter_by(reading_id=reading.id, user_id=user.id))


def read_ids(user: User) -> set[int]:
    """Ids of the readings `user` has read."""
    return set(db.session.scalars(sa.select(ReadingProgress.reading_id).where(ReadingProgress.user_id == user.id)))


def _audience(actor: User, reading: Reading) -> sa.Select:
    """Active officers a reading applies to, within what the actor may see."""
    query = (
        sa.select(User)
        .join(Unit, User.unit_id == Unit.id)
        .where(User.active, User.role == Role.OFFICER, Unit.path.startswith(reading.unit.path))
    )
    if actor is not None and actor.role != Role.ADMIN:
        query = query.where(Unit.path.startswith(actor.unit.path))
    return query


def progress(actor, reading: Reading) -> dict:
    """Who has read `reading`, among the officers it applies to in the actor's scope: totals,
    per unit (x of y), and the names of those who have not."""
    people = db.session.scalars(_audience(actor, reading).order_by(Unit.path, User.username)).all()
    done = set(
        db.session.scalars(
            sa.select(ReadingProgress.user_id).where(
                ReadingProgress.reading_id == reading.id, ReadingProgress.user_id.in_([p.id for p in people])
            )
        )
    )
    units: dict[int, dict] = {}
    for person in people:
        row = units.setdefault(person.unit_id, {"unit": person.unit, "expected": 0, "read": 0})
        row["expected"] += 1
        row["read"] += person.id in done
    return {
        "expected": len(people),
        "read": len(done),
        "units": list(units.values()),
        "not_read": [p for p in people if p.id not in done],
    }


def progress_summary(actor, readings: list[Reading]) -> dict[int, tuple[int, int]]:
    """{reading id: (read, expected)} for a list of readings, in the actor's scope."""
    result = {}
    for reading in readings:
        audience = _audience(actor, reading).with_only_columns(User.id).subquery()
        expected = db.session.scalar(sa.select(sa.func.count()).select_from(audience))
        read = db.session.scalar(
            sa.select(sa.func.count())
            .select_from(ReadingProgress)
            .where(ReadingProgress.reading_id == reading.id, ReadingProgress.user_id.in_(sa.select(audience.c.id)))
        )
        result[reading.id] = (read, expected)
    return result

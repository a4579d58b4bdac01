"""Bulletin pages (on the "reports" blueprint, under /reports/bulletins): the list, drafting, editing,
publishing and the printable bulletin. Supervisors act on their subtree; everyone in a published
bulletin's scope may read it (the notice links to it)."""

from datetime import timedelta

from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from accounts import audit
from accounts.access import signed_in, supervisor_required
from accounts.forms import EmptyForm, unit_choices
from accounts.models import Role, Unit
from accounts.scope import units_visible_to
from core import clock
from core.errors import DomainError, NotFound, PermissionDenied
from core.exporting import download, xlsx_download
from core.extensions import db
from reports import bulletin_document, bulletins, exports
from reports.forms import BulletinForm, DraftBulletinForm
from reports.gongwen import chinese_date, chinese_number
from reports.models import Bulletin, BulletinStatus
from reports.views import bp


def _bulletin(bulletin_id) -> Bulletin:
    bulletin = db.session.get(Bulletin, bulletin_id)
    if bulletin is None:
        raise NotFound(_("This bulletin was not found."))
    if not bulletins.may_read(current_user, bulletin):
        raise PermissionDenied(_("This bulletin is outside your area of responsibility."))
    return bulletin


def _managed(bulletin_id) -> Bulletin:
    bulletin = _bulletin(bulletin_id)
    if current_user.role == Role.OFFICER or not (
        current_user.role == Role.ADMIN or current_user.unit.contains(bulletin.unit)
    ):
        raise PermissionDenied(_("This bulletin is outside your area of responsibility."))
    return bulletin


def _draft_form():
    form = DraftBulletinForm()
    form.unit.choices = unit_choices(list(db.session.scalars(units_visible_to(current_user).where(Unit.active))))
    if not form.is_submitted():
        form.week.data = clock.week_start(clock.today()) - timedelta(days=7)
        form.unit.data = current_user.unit_id
    return form


@bp.get("/bulletins/", endpoint="bulletins")
@signed_in
def bulletins_index():
    page = db.paginate(bulletins.bulletins_for(current_user), per_page=30, error_out=False)
    form = _draft_form() if current_user.role != Role.OFFICER else None
    return render_template("reports/bulletins.html", page=page, form=form)


@bp.get("/bulletins.xlsx", endpoint="bulletins_export")
@supervisor_required
def bulletins_export():
    items = db.session.scalars(bulletins.bulletins_for(current_user)).all()
    return xlsx_download("bulletins", [exports.bulletins_sheet(items)])


@bp.post("/bulletins/", endpoint="bulletin_draft")
@supervisor_required
def draft():
    form = _draft_form()
    if not form.validate_on_submit():
        flash(_("Choose a unit and a week."), "error")
        return redirect(url_for("reports.bulletins"))
    unit = db.session.get(Unit, form.unit.data)
    if unit is None:
        raise NotFound(_("This unit was not found."))
    bulletin = bulletins.draft_bulletin(current_user, unit, clock.week_start(form.week.data), clock.now())
    db.session.commit()
    return redirect(url_for("reports.bulletin_edit", bulletin_id=bulletin.id))


@bp.get("/bulletins/<int:bulletin_id>", endpoint="bulletin")
@signed_in
def show(bulletin_id):
    bulletin = _bulletin(bulletin_id)
    doc = bulletin_document.official_document(bulletin, clock.today())
    return render_template(
        "reports/bulletin.html",
        bulletin=bulletin,
        doc=doc,
        issued=chinese_date(doc.date),
        numeral=chinese_number,
        form=EmptyForm(),
    )


@bp.route("/bulletins/<int:bulletin_id>/edit", methods=["GET", "POST"], endpoint="bulletin_edit")
@supervisor_required
def edit(bulletin_id):
    bulletin = _managed(bulletin_id)
    if bulletin.status != BulletinStatus.DRAFT:
        return redirect(url_for("reports.bulletin", bulletin_id=bulletin.id))
    form = BulletinForm(obj=bulletin)
    if form.validate_on_submit():
        try:
            bulletins.update_bulletin(
                current_user, bulletin, title=form.title.data, body=form.body.data, now=clock.now()
            )
        except DomainError as error:
            db.session.rollback()
            flash(str(error.message), "error")
        else:
            db.session.commit()
            flash(_("Saved."), "success")
            return redirect(url_for("reports.bulletin", bulletin_id=bulletin.id))
    return render_template("reports/bulletin_form.html", bulletin=bulletin, form=form)


@bp.post("/bulletins/<int:bulletin_id>/publish", endpoint="bulletin_publish")
@supervisor_required
def publish(bulletin_id):
    bulletin = _managed(bulletin_id)
    if not EmptyForm().validate_on_submit():
        flash(_("The form has expired; please try again."), "error")
        return redirect(url_for("reports.bulletin", bulletin_id=bulletin.id))
    try:
        count = bulletins.publish_bulletin(
            current_user, bulletin, clock.now(), link=url_for("reports.bulletin", bulletin_id=bulletin.id)
        )
    except DomainError as error:
        db.session.rollback()
        flash(str(error.message), "error")
    else:
        audit.record(
            "report.bulletin_published",
            actor=current_user,
            target=bulletin,
            detail={"unit": bulletin.unit_id, "week": bulletin.week_start.isoformat(), "recipients": count},
        )
        db.session.commit()
        flash(_("Published and sent to %(count)d people.", count=count), "success")
    return redirect(url_for("reports.bulletin", bulletin_id=bulletin.id))


@bp.get("/bulletins/<int:bulletin_id>.docx", endpoint="bulletin_docx")
@signed_in
def download_docx(bulletin_id):
    """The bulletin as a 公文 (.docx), for whoever may read it."""
    bulletin = _bulletin(bulletin_id)
    body = bulletin_document.bulletin_docx(bulletin, clock.today())
    return download(body, f"bulletin-{bulletin.unit_id}-{bulletin.week_start.isoformat()}", "docx", stamp=False)

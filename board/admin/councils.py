"""Councils: list, search, add, edit, retire and reinstate, and import a file of them."""

from dataclasses import dataclass

from flask import current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy import func
from sqlalchemy.orm import selectinload

from board import councils_import
from board.admin import bp
from board.admin import council_services as services
from board.admin.council_forms import CouncilForm, ImportForm, RetireForm
from board.errors import keeps_input_on_csrf_failure
from board.extensions import db
from board.models import Council, User

PER_PAGE = 50
SEARCH_LIMIT = 100
# A file of every UK council is about 60 kB.
MAX_UPLOAD = 2_000_000


@dataclass
class CouncilsPage:
    """One page of the list: (council, members, studies) rows and where it is in the whole."""

    rows: list
    page: int
    per_page: int
    total: int

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.per_page))

    @property
    def has_prev(self) -> bool:
        return self.page > 1

    @property
    def has_next(self) -> bool:
        return self.page < self.pages

    # Named as Flask-SQLAlchemy's Pagination names them (templates/macros/pages.html).
    @property
    def prev_num(self) -> int | None:
        return self.page - 1 if self.has_prev else None

    @property
    def next_num(self) -> int | None:
        return self.page + 1 if self.has_next else None


@bp.get("/councils")
def councils():
    text = " ".join(request.args.get("q", "")[:SEARCH_LIMIT].split())
    number = request.args.get("page", 1, type=int)
    number = max(1, min(number, 10_000))
    per_page = current_app.config.get("ADMIN_COUNCILS_PER_PAGE", PER_PAGE)
    query = services.councils_list_query(text)
    total = db.session.scalar(
        db.select(func.count()).select_from(query.with_only_columns(Council.id).subquery())
    )
    # Each council's members and studies counted in the same query, and their domains in one
    # more: never one query a council.
    rows = db.session.execute(
        query.options(selectinload(Council.domains)).limit(per_page).offset((number - 1) * per_page)
    ).all()
    page = CouncilsPage(rows=rows, page=number, per_page=per_page, total=total or 0)
    return render_template("admin/councils/list.html", page=page, q=text)


def _form_page(form: CouncilForm, council: Council | None, status: int = 200):
    return render_template("admin/councils/form.html", form=form, council=council), status


@bp.route("/councils/new", methods=["GET", "POST"])
@keeps_input_on_csrf_failure
def new_council():
    if request.method == "GET":
        return _form_page(CouncilForm(formdata=None), None)
    form = CouncilForm()
    if not form.validate_on_submit():
        return _form_page(form, None, 422)
    council = services.add_council(form.details(), current_user)
    db.session.commit()
    flash(_("%(council)s is added.", council=council.name), "success")
    return redirect(url_for(".councils", q=council.slug))


# The words for each detail of a council that an edit can change (CouncilDetails.differences).
DETAIL_NAMES = {
    "name": _l("name"),
    "slug": _l("slug"),
    "nation": _l("nation"),
    "type": _l("type"),
    "region": _l("region"),
    "website": _l("website"),
    "domains": _l("domains"),
}


@bp.route("/councils/<int:council_id>/edit", methods=["GET", "POST"])
@keeps_input_on_csrf_failure
def edit_council(council_id: int):
    council = db.get_or_404(Council, council_id)
    if request.method == "GET":
        return _form_page(CouncilForm.for_council(council), council)
    form = CouncilForm(council=council)
    if not form.validate_on_submit():
        return _form_page(form, council, 422)
    changed = services.change_council(council, form.details(), current_user)
    db.session.commit()
    if changed:
        details = ", ".join(str(DETAIL_NAMES.get(name, name)) for name in changed)
        flash(
            _("%(council)s: %(details)s changed.", council=council.name, details=details), "success"
        )
    else:
        flash(_("Nothing was changed: %(council)s is as it was.", council=council.name), "success")
    return redirect(url_for(".councils", q=council.slug))


@bp.route("/councils/<int:council_id>/retire", methods=["GET", "POST"])
@keeps_input_on_csrf_failure
def retire_council(council_id: int):
    council = db.get_or_404(Council, council_id)
    if council.retired_at is not None:
        flash(_("%(council)s is already retired.", council=council.name), "success")
        return redirect(url_for(".edit_council", council_id=council.id))
    form = RetireForm(formdata=None if request.method == "GET" else request.form)
    if request.method == "GET" or not form.validate_on_submit():
        members = db.session.scalar(
            db.select(func.count(User.id)).where(
                User.council_id == council.id,
                User.verified_at.is_not(None),
                User.deleted_at.is_(None),
            )
        )
        return render_template(
            "admin/councils/retire.html", council=council, form=form, members=members or 0
        ), (200 if request.method == "GET" else 422)
    services.retire_council(council, current_user, form.reason.data)
    db.session.commit()
    flash(
        _(
            "%(council)s is retired: no one new joins it, and its case studies are marked as "
            "from a former council.",
            council=council.name,
        ),
        "success",
    )
    return redirect(url_for(".edit_council", council_id=council.id))


@bp.post("/councils/<int:council_id>/reinstate")
def reinstate_council(council_id: int):
    council = db.get_or_404(Council, council_id)
    services.reinstate_council(council, current_user)
    db.session.commit()
    flash(
        _("%(council)s is reinstated: people on its domains join it again.", council=council.name),
        "success",
    )
    return redirect(url_for(".edit_council", council_id=council.id))


@bp.route("/councils/import", methods=["GET", "POST"])
def import_councils():
    form = ImportForm(formdata=None) if request.method == "GET" else ImportForm()
    result = None
    status = 200
    if request.method == "POST":
        if not form.validate_on_submit():
            status = 422
        else:
            data = form.file.data.read(MAX_UPLOAD + 1)
            try:
                text = councils_import.decode(data)
            except UnicodeDecodeError:
                text = None
            if len(data) > MAX_UPLOAD:
                form.file.errors = [
                    _(
                        "The file must be %(size)s MB or smaller",
                        size=format(MAX_UPLOAD / 1_000_000, "g"),
                    )
                ]
                status = 422
            elif text is None:
                form.file.errors = [_("The file must be UTF-8 text: save it as 'CSV UTF-8'")]
                status = 422
            else:
                result = councils_import.import_councils(
                    text, dry_run=form.check_only.data, actor=current_user
                )
                if result.ok and not result.dry_run:
                    db.session.commit()
                else:
                    db.session.rollback()
                status = 200 if result.ok else 422
    return render_template("admin/councils/import.html", form=form, result=result), status

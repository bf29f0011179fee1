"""Requests from registrants to add a council that is not listed: the list, and one request's
page with the decisions (add the council, join an existing one, or decline with a reason)."""

from __future__ import annotations

from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy.exc import IntegrityError

from board.admin import bp
from board.admin import council_request_services as services
from board.admin import council_services as council_rules
from board.admin.council_request_forms import (
    ApproveCouncilRequestForm,
    DeclineCouncilRequestForm,
    JoinExistingCouncilForm,
)
from board.errors import keeps_input_on_csrf_failure
from board.extensions import db
from board.models import Council, CouncilRequest, CouncilType, Nation


@bp.get("/council-requests")
def council_requests():
    rows = db.session.scalars(services.requests_query()).all()
    waiting = [row for row in rows if row.is_waiting]
    decided = [row for row in rows if not row.is_waiting]
    return render_template("admin/council_requests.html", waiting=waiting, decided=decided)


def _prefilled(request_row: CouncilRequest) -> dict:
    return {
        "name": request_row.council_name,
        "slug": council_rules.slug_from_name(request_row.council_name),
        "website": request_row.website,
        "domains": request_row.email_domain,
    }


def _page(request_row: CouncilRequest, *, approve=None, decline=None, join=None, status=200):
    similar = services.councils_named_like(request_row.council_name)
    if request_row.is_waiting:
        approve = approve or ApproveCouncilRequestForm(formdata=None, data=_prefilled(request_row))
        decline = decline or DeclineCouncilRequestForm(formdata=None)
        join = join or JoinExistingCouncilForm(formdata=None, councils=similar)
    return render_template(
        "admin/council_request.html",
        request_row=request_row,
        approve_form=approve,
        decline_form=decline,
        join_form=join,
        similar=similar,
        form_in_error=next(
            (form for form in (approve, decline, join) if form is not None and form.errors),
            None,
        ),
    ), status


def _already_decided(request_row: CouncilRequest):
    # Someone else decided first: nothing to do, and nothing lost but the choice.
    flash(services.decided_message(request_row), "error")
    return redirect(url_for(".council_request", request_id=request_row.id))


@bp.get("/council-requests/<int:request_id>")
def council_request(request_id: int):
    return _page(db.get_or_404(CouncilRequest, request_id))


@bp.post("/council-requests/<int:request_id>/approve")
@keeps_input_on_csrf_failure
def approve_council_request(request_id: int):
    request_row = db.get_or_404(CouncilRequest, request_id)
    if not request_row.is_waiting:
        return _already_decided(request_row)
    form = ApproveCouncilRequestForm()
    if not form.validate_on_submit():
        return _page(request_row, approve=form, status=422)
    details = council_rules.CouncilDetails(
        name=form.name.data,
        slug=form.slug.data,
        nation=Nation(form.nation.data),
        council_type=CouncilType(form.council_type.data),
        region="",
        website=form.website.data or "",
        domains=council_rules.split_domains(form.domains.data),
    )
    problems = services.council_problems(details)
    if problems:
        for name, problem in problems.items():
            form[name].errors = [*form[name].errors, problem]
        return _page(request_row, approve=form, status=422)
    try:
        council = council_rules.add_council(details, current_user)
        joined = services.approve(request_row, council, current_user)
        db.session.commit()
    except services.AlreadyDecided:
        db.session.rollback()
        return _already_decided(db.session.get(CouncilRequest, request_id))
    except IntegrityError:
        # Another admin took the slug or a domain between the check and the insert.
        db.session.rollback()
        request_row = db.session.get(CouncilRequest, request_id)
        form.slug.errors = [
            *form.slug.errors,
            _(
                "Another council took this slug or one of these domains a moment ago: "
                "check them and try again"
            ),
        ]
        return _page(request_row, approve=form, status=422)
    _approved_message(request_row, council, joined, added=True)
    return redirect(url_for(".council_request", request_id=request_id))


@bp.post("/council-requests/<int:request_id>/join")
@keeps_input_on_csrf_failure
def join_existing_council(request_id: int):
    request_row = db.get_or_404(CouncilRequest, request_id)
    if not request_row.is_waiting:
        return _already_decided(request_row)
    similar = services.councils_named_like(request_row.council_name)
    form = JoinExistingCouncilForm(councils=similar)
    council = db.session.get(Council, form.council_id.data) if form.validate_on_submit() else None
    if council is None or council not in similar:
        if not form.council_id.errors and not form.errors:
            form.council_id.errors = [_("Choose the council to join them to")]
        return _page(request_row, join=form, status=422)
    try:
        joined = services.approve(request_row, council, current_user)
        db.session.commit()
    except services.AlreadyDecided:
        db.session.rollback()
        return _already_decided(db.session.get(CouncilRequest, request_id))
    _approved_message(request_row, council, joined, added=False)
    return redirect(url_for(".council_request", request_id=request_id))


def _approved_message(request_row, council, joined: bool, *, added: bool) -> None:
    done = (
        _("%(council)s has been added.", council=council.name) if added else _("Request approved.")
    )
    if joined:
        who = request_row.requester.name
        flash(
            _(
                "%(done)s %(name)s is now a verified member of %(council)s.",
                done=done,
                name=who,
                council=council.name,
            ),
            "success",
        )
    else:
        flash(
            _(
                "%(done)s The person who asked has left, or already belongs to a council, so "
                "nobody was joined to it.",
                done=done,
            ),
            "success",
        )


@bp.post("/council-requests/<int:request_id>/decline")
@keeps_input_on_csrf_failure
def decline_council_request(request_id: int):
    request_row = db.get_or_404(CouncilRequest, request_id)
    if not request_row.is_waiting:
        return _already_decided(request_row)
    form = DeclineCouncilRequestForm()
    if not form.validate_on_submit():
        return _page(request_row, decline=form, status=422)
    try:
        services.decline(request_row, form.reason.data, current_user)
        db.session.commit()
    except services.AlreadyDecided:
        db.session.rollback()
        return _already_decided(db.session.get(CouncilRequest, request_id))
    if request_row.requester is not None:
        flash(
            _(
                "Request declined. We have emailed %(name)s the reason.",
                name=request_row.requester.name,
            ),
            "success",
        )
    else:
        flash(_("Request declined. The person who asked has deleted their account."), "success")
    return redirect(url_for(".council_requests"))

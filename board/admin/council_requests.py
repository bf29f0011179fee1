"""Requests from registrants to add a council that is not listed."""

from flask import render_template

from board.admin import bp


@bp.get("/council-requests")
def council_requests():
    return render_template("admin/placeholder.html", heading="council_requests")

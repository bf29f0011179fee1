"""Councils: list, search, add, edit and retire."""

from flask import render_template

from board.admin import bp


@bp.get("/councils")
def councils():
    return render_template("admin/placeholder.html", heading="councils")

"""The seven topics' descriptions and resource-pack links."""

from flask import render_template

from board.admin import bp


@bp.get("/topics")
def topics():
    return render_template("admin/placeholder.html", heading="topics")

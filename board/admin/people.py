"""People: search, change role or council, suspend and restore."""

from flask import render_template

from board.admin import bp


@bp.get("/people")
def people():
    return render_template("admin/placeholder.html", heading="people")

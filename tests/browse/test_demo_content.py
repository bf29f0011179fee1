"""The demo board shows what the service is for: on every topic, a visitor finds at least one
experiment that did not work."""

from __future__ import annotations

import re

from board.extensions import db
from board.models import Topic
from tests.browse.test_filters import shown_titles


def test_every_topic_has_a_public_failure_in_the_demo_data(app, client):
    result = app.test_cli_runner().invoke(args=["demo-data"])
    assert result.exit_code == 0, result.output
    with app.app_context():
        slugs = list(db.session.scalars(db.select(Topic.slug).order_by(Topic.position)))
    assert len(slugs) == 7
    for slug in slugs:
        # As a visitor: members-only studies do not count.
        html = client.get(f"/topics/{slug}?outcome=did-not-work").text
        assert shown_titles(html), slug
        assert re.search(r'govuk-tag--red app-outcome-tag">\s*Did not work', html), slug

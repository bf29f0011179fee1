"""The listing renders with the request's translations looked up once: the same text, in the
same language, escaped the same way, as Flask-Babel's gettext gives."""

import pytest

from board.browse.routes import request_gettext

SOURCE = (
    '{{ _("Filter") }}|{{ _("Page %(number)s", number="<b>Tom & Jerry</b>") }}|'
    '{{ ngettext("%(num)d case study", "%(num)d case studies", 1) }}|'
    '{{ ngettext("%(num)d case study", "%(num)d case studies", 3) }}|'
    '{% trans %}Previous<span class="govuk-visually-hidden"> page</span>{% endtrans %}|'
    '{% trans href="/?a=1&b=2" %}<a class="govuk-link" href="{{ href }}">Go to the first page'
    "</a>{% endtrans %}|"
    '{{ _("Page %(number)s", number="1,000") }}'
)


@pytest.mark.parametrize("language", ["en", "cy"])
def test_the_listings_gettext_renders_what_flask_babels_does(app, language):
    with app.test_request_context("/", headers={"Cookie": f"board_language={language}"}):
        template = app.jinja_env.from_string(SOURCE)
        expected = template.render()
        assert template.render(**request_gettext()) == expected
        assert "&lt;b&gt;Tom &amp; Jerry&lt;/b&gt;" in expected
        if language == "cy":
            assert "Filter|" not in expected

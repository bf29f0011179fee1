"""The GOV.UK widgets of govuk-frontend-wtf, with the hidden "Error:" before a field's error
message in the page's language: the widgets set the Error message component's parameters
themselves, after any given from the template, so its default English would stay."""

from __future__ import annotations

from flask_babel import gettext as _
from govuk_frontend_wtf import wtforms_widgets as widgets


class _ErrorInThePagesLanguage:
    def map_gov_params(self, field, **kwargs):
        params = super().map_gov_params(field, **kwargs)
        if params.get("errorMessage"):
            params["errorMessage"] = {**params["errorMessage"], "visuallyHiddenText": _("Error")}
        return params


class GovInput(_ErrorInThePagesLanguage, widgets.GovInput):
    pass


class GovTextInput(_ErrorInThePagesLanguage, widgets.GovTextInput):
    pass


class GovPasswordInput(_ErrorInThePagesLanguage, widgets.GovPasswordInput):
    pass


class GovRadioInput(_ErrorInThePagesLanguage, widgets.GovRadioInput):
    pass


class GovCheckboxInput(_ErrorInThePagesLanguage, widgets.GovCheckboxInput):
    pass


class GovEmailInput(GovInput):
    """An email field as the GOV.UK Input component (govuk-frontend-wtf has no email widget)."""

    input_type = "email"

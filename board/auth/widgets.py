"""The GOV.UK widgets the account forms use: govuk-frontend-wtf's, and an email field, which it
has none of. (The hidden "Error:" of every widget is in the page's language: board/i18n.py.)"""

from __future__ import annotations

from govuk_frontend_wtf.wtforms_widgets import (
    GovCheckboxInput,
    GovInput,
    GovPasswordInput,
    GovRadioInput,
    GovTextInput,
)

__all__ = [
    "GovCheckboxInput",
    "GovEmailInput",
    "GovInput",
    "GovPasswordInput",
    "GovRadioInput",
    "GovTextInput",
]


class GovEmailInput(GovInput):
    """An email field as the GOV.UK Input component (govuk-frontend-wtf has no email widget)."""

    input_type = "email"

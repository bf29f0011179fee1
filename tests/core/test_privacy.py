"""The privacy notice names the data controller, from the DATA_CONTROLLER setting."""

from board import create_app
from board.config import from_environment
from tests.conftest import base_config


def test_the_privacy_notice_names_the_data_controller(database_url):
    app = create_app({**base_config(database_url), "DATA_CONTROLLER": "Ceredigion County Council"})
    html = app.test_client().get("/privacy").text
    assert "Who is responsible for your information" in html
    assert "Ceredigion County Council runs Case Board and is the data controller" in html


def test_the_data_controller_comes_from_the_environment(monkeypatch, tmp_path):
    monkeypatch.setenv("DATA_CONTROLLER", "Powys County Council")
    assert from_environment(str(tmp_path))["DATA_CONTROLLER"] == "Powys County Council"
    monkeypatch.delenv("DATA_CONTROLLER")
    # Unset, development still has a name to show, and says it is one.
    assert "development" in from_environment(str(tmp_path))["DATA_CONTROLLER"]

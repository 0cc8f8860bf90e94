import pytest
from django.core.exceptions import ImproperlyConfigured

from kb.settings.environment import env_bool, env_int, env_list


def test_boolean_settings_accept_the_usual_words(monkeypatch):
    monkeypatch.setenv("DEBUG", "yes")
    assert env_bool("DEBUG") is True
    monkeypatch.setenv("DEBUG", "0")
    assert env_bool("DEBUG") is False


def test_a_mistyped_boolean_setting_is_a_clear_error(monkeypatch):
    monkeypatch.setenv("DEBUG", "ture")
    with pytest.raises(ImproperlyConfigured, match="DEBUG must be true or false"):
        env_bool("DEBUG")


def test_a_non_numeric_number_setting_is_a_clear_error(monkeypatch):
    monkeypatch.setenv("SECURE_HSTS_SECONDS", "a year")
    with pytest.raises(ImproperlyConfigured, match="whole number"):
        env_int("SECURE_HSTS_SECONDS", 0)


def test_list_settings_are_comma_separated(monkeypatch):
    monkeypatch.setenv("ALLOWED_HOSTS", "kb.example.org, www.kb.example.org ,")
    assert env_list("ALLOWED_HOSTS", []) == ["kb.example.org", "www.kb.example.org"]

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.test import override_settings

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


def test_the_test_translator_is_offered_only_without_a_real_one_and_says_what_it_is():
    from django.utils import translation
    from wagtail_localize.machine_translators import get_machine_translator

    from kb.settings.base import machine_translator

    assert machine_translator("key", None, None, fallback_to_dummy=True)["CLASS"].endswith(
        "DeepLTranslator"
    )
    assert machine_translator(None, None, None, fallback_to_dummy=False) is None
    fallback = machine_translator(None, None, None, fallback_to_dummy=True)
    with override_settings(WAGTAILLOCALIZE_MACHINE_TRANSLATOR=fallback):
        translator = get_machine_translator()
    with translation.override("fi"):
        assert str(translator.display_name).startswith("Testikääntäjä")
    assert str(translator.display_name).startswith("Test translator")

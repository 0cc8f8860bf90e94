"""The production server's settings for `make bench`'s load step and `make probe`, and the
benchmark's command line."""

import os

import pytest

from benchmarks import run
from benchmarks.server import RATE_LIMIT, Site, _children


def test_the_site_is_served_with_production_settings_and_no_shared_services(tmp_path, monkeypatch):
    monkeypatch.setenv("REDIS_URL", "redis://127.0.0.1:6379/0")
    monkeypatch.setenv("ELASTICSEARCH_URL", "http://127.0.0.1:9200")

    site = Site("sqlite:////tmp/bench.sqlite3", tmp_path, {"DJANGO_SUPERUSER_PASSWORD": "x"})

    env = site.base_env
    assert env["DJANGO_SETTINGS_MODULE"] == "kb.settings.production"
    assert env["DATABASE_URL"] == "sqlite:////tmp/bench.sqlite3"
    assert env["SEARCH_RATE_LIMIT"] == env["SEARCH_SUGGEST_RATE_LIMIT"] == RATE_LIMIT
    assert env["MEDIA_ROOT"] == str(tmp_path / "media")
    assert env["DJANGO_SUPERUSER_PASSWORD"] == "x"
    assert "REDIS_URL" not in env and "ELASTICSEARCH_URL" not in env
    assert site.worker_peak_rss_megabytes() == []


@pytest.mark.skipif(not os.path.exists("/proc/self/stat"), reason="needs Linux's /proc")
def test_a_process_children_are_found_by_their_parent():
    assert os.getpid() in _children(os.getppid())


def test_a_size_and_the_large_run_together_are_refused():
    with pytest.raises(SystemExit) as exit_:
        run.main(["--large", "--practices", "300"])

    assert exit_.value.code == 2

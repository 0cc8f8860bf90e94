"""`python -m benchmarks --reuse DIR --steps ...`: its refusals say what is wrong."""

import pytest

from benchmarks.run import main


def test_unknown_steps_are_refused_with_the_steps_there_are(tmp_path, capsys):
    with pytest.raises(SystemExit) as exit:
        main(["--reuse", str(tmp_path), "--steps", "search,import"])

    assert exit.value.code == 2
    assert (
        "--steps: choose among reindex, wagtail-index, search, pages, load"
        in capsys.readouterr().err
    )


def test_a_folder_without_a_kept_database_is_refused(tmp_path):
    with pytest.raises(SystemExit, match="no bench.sqlite3 in .*a SQLite run with --keep"):
        main(["--reuse", str(tmp_path)])

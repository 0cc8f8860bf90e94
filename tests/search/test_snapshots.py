"""What a process keeps in memory from the index is built again when the index changes: at
once after its own changes, in the background after another process's, while the previous
snapshot answers."""

import threading

import pytest
from django.db import transaction

from search import snapshots, versions
from tests.factories import PracticeFactory


@pytest.fixture(autouse=True)
def _no_spacing(monkeypatch):
    """Builds here take microseconds; the spacing after them is tested on its own."""
    monkeypatch.setattr(snapshots, "BACKGROUND_SPACING", 0)


class Builds:
    """A build that returns "built 1", "built 2"...; `hold()` keeps the next one waiting."""

    def __init__(self):
        self.count = 0
        self.release = threading.Event()
        self.release.set()

    def __call__(self):
        self.release.wait(5)
        self.count += 1
        return f"built {self.count}"

    def hold(self):
        self.release.clear()


def wait_for_background(snapshot):
    with snapshot._lock:  # a background build holds the lock until it is done
        pass


def test_the_first_use_builds_and_the_same_version_is_not_built_again():
    builds, version = Builds(), [1]
    snapshot = snapshots.Snapshot(builds, lambda: version[0])

    assert snapshot.get() == "built 1"
    assert snapshot.get() == "built 1"
    assert builds.count == 1


def test_a_change_made_by_this_process_is_built_before_the_next_answer():
    builds, version = Builds(), [1]
    snapshot = snapshots.Snapshot(builds, lambda: version[0])
    snapshot.get()

    version[0] = 2
    snapshots.index_changed_here()

    assert snapshot.get() == "built 2"


def test_another_process_change_is_built_in_the_background_while_the_previous_answers():
    builds, version = Builds(), [1]
    snapshot = snapshots.Snapshot(builds, lambda: version[0])
    snapshot.get()

    version[0] = 2  # as when the task worker or an import has indexed
    builds.hold()
    assert snapshot.get() == "built 1"  # answers at once
    assert snapshot.get() == "built 1"  # one build at a time
    builds.release.set()
    wait_for_background(snapshot)

    assert snapshot.get() == "built 2"
    assert builds.count == 2


def test_a_failing_background_build_leaves_the_previous_snapshot_answering(caplog):
    builds, version = Builds(), [1]
    snapshot = snapshots.Snapshot(builds, lambda: version[0])
    snapshot.get()

    def failing():
        raise RuntimeError("database gone")

    snapshot._build = failing
    version[0] = 2
    snapshot.get()
    wait_for_background(snapshot)
    assert "Could not build a search snapshot" in caplog.text

    snapshot._build = builds
    builds.hold()
    assert snapshot.get() == "built 1"  # and the next call tries again
    builds.release.set()
    wait_for_background(snapshot)
    assert snapshot.get() == "built 2"


@pytest.mark.django_db(transaction=True)
def test_the_index_version_in_the_database_rises_with_each_committed_change_only():
    """Processes that share no cache (the embedded default) learn of each other's indexing
    from the database."""
    PracticeFactory(slug="first", title="Debate night")
    committed = versions.index_version()[1]
    assert committed

    PracticeFactory(slug="second", title="Democracy café")
    assert versions.index_version()[1] > committed

    raised = versions.index_version()[1]
    with pytest.raises(RuntimeError), transaction.atomic():
        PracticeFactory(slug="third", title="Living library")
        raise RuntimeError("rolled back")
    assert versions.index_version()[1] == raised


def test_while_another_process_keeps_changing_the_index_builds_are_spaced(monkeypatch):
    """A build that took a second is not followed by another for BACKGROUND_SPACING seconds:
    a process spends at most a fraction of a core on building during an import."""
    clock = [100.0]
    monkeypatch.setattr(snapshots.time, "monotonic", lambda: clock[0])
    monkeypatch.setattr(snapshots, "BACKGROUND_SPACING", 3)
    version, builds = [1], Builds()

    def build():
        clock[0] += 1.0  # a build of one second
        return builds()

    snapshot = snapshots.Snapshot(build, lambda: version[0])
    snapshot.get()

    version[0] = 2
    clock[0] += snapshots.BACKGROUND_SPACING - 0.5
    assert snapshot.get() == "built 1"
    wait_for_background(snapshot)
    assert builds.count == 1  # too soon after the last build

    clock[0] += 0.5
    snapshot.get()
    wait_for_background(snapshot)
    assert snapshot.get() == "built 2"


def test_warming_builds_in_the_background_and_the_first_use_waits_for_that_build():
    """A web worker warms its snapshots when it starts: a search arriving during the warm-up
    gets the warmed snapshot, not a second build of its own."""
    builds, version = Builds(), [1]
    snapshot = snapshots.Snapshot(builds, lambda: version[0])
    builds.hold()
    snapshot.warm()
    snapshot.warm()  # one build at a time
    answer = []
    reader = threading.Thread(target=lambda: answer.append(snapshot.get()))
    reader.start()
    builds.release.set()
    reader.join(5)

    assert answer == ["built 1"]
    assert builds.count == 1
    snapshot.warm()  # loaded: nothing more to do
    wait_for_background(snapshot)
    assert builds.count == 1

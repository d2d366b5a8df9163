"""A département built for a visitor: one at a time, in a child process, never twice."""

from __future__ import annotations

import fcntl
import threading

import pytest

from aisnemap import config
from aisnemap.build import on_demand, pipeline
from aisnemap.domain.departements import department_dir

#: The Territoire de Belfort: 101 communes, a build of a few seconds.
SMALL = "90"


@pytest.fixture()
def empty_data(tmp_path, monkeypatch):
    data, state = tmp_path / "donnees", tmp_path / "etat"
    monkeypatch.setattr(config, "DATA_DIR", data)
    monkeypatch.setattr(config, "STATE_DIR", state)
    return data


def _hold_lock(code: str):
    """The lock as another server process building ``code`` holds it."""
    on_demand.lock_path().parent.mkdir(parents=True, exist_ok=True)
    handle = open(on_demand.lock_path(), "a+", encoding="utf-8")  # noqa: SIM115
    fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
    handle.seek(0)
    handle.truncate()
    handle.write(code)
    handle.flush()
    return handle


def test_a_build_runs_in_a_child_process_and_is_marked_built(empty_data):
    result = on_demand.request_build(SMALL)
    assert result.outcome is on_demand.Outcome.BUILT, result.detail
    assert pipeline.is_built(department=SMALL)
    assert (department_dir(SMALL) / config.MANIFEST_FILE).is_file()
    # The lock is free again and names no build.
    assert on_demand.lock_path().read_text(encoding="utf-8") == ""


def test_another_departement_meanwhile_is_told_to_come_back_and_nothing_starts(empty_data):
    held = _hold_lock("75")
    try:
        result = on_demand.request_build(SMALL)
    finally:
        held.close()
    assert result.outcome is on_demand.Outcome.BUSY
    assert not department_dir(SMALL).exists()


def test_a_visitor_of_the_departement_being_built_waits_for_that_build(empty_data):
    held = _hold_lock(SMALL)
    outcome: list[on_demand.Result] = []
    waited = threading.Event()
    visitor = threading.Thread(
        target=lambda: outcome.append(on_demand.request_build(SMALL, waiting=waited.set))
    )
    visitor.start()
    assert waited.wait(30)
    # The other process finishes its build, then releases the lock.
    pipeline.run_build(department=SMALL)
    held.close()
    visitor.join(60)
    assert [r.outcome for r in outcome] == [on_demand.Outcome.BUILT]

"""The import page's secret: blank means closed; a server-wide counter delays, then locks."""

from __future__ import annotations

import datetime as dt
import logging

import pytest

from aisnemap import config
from aisnemap.admin import access as admin

T0 = dt.datetime(2026, 11, 26, 10, 0, 0)


@pytest.fixture(autouse=True)
def state_dir(tmp_path, monkeypatch):
    monkeypatch.setattr(config, "STATE_DIR", tmp_path)
    return tmp_path


@pytest.mark.parametrize(
    ("given", "expected", "ok"),
    [
        ("s3cret", "s3cret", True),
        ("s3cre", "s3cret", False),
        ("", "s3cret", False),
        ("x", None, False),
        (" ", " ", False),
        ("é", "é", True),
    ],
)
def test_check_secret(given, expected, ok):
    assert admin.check_secret(given, expected) is ok


def test_blank_secret_means_not_configured(monkeypatch):
    monkeypatch.delenv("AISNEMAP_ADMIN_SECRET", raising=False)
    assert admin.admin_secret({}) is None
    assert admin.admin_secret({"admin_secret": " "}) is None
    assert admin.admin_secret({"admin_secret": "a"}) == "a"
    monkeypatch.setenv("AISNEMAP_ADMIN_SECRET", "   ")
    assert admin.admin_secret({}) is None
    monkeypatch.setenv("AISNEMAP_ADMIN_SECRET", "b")
    assert admin.admin_secret({}) == "b"


def test_failures_are_counted_server_wide_with_growing_delays():
    for _i in range(admin.FREE_TRIES - 1):
        assert admin.try_secret("faux", "vrai", T0).message == "Accès refusé."
    third = admin.try_secret("faux", "vrai", T0)
    assert third.message == "Accès refusé. Essai refusé : attendez 2 s avant un nouvel essai."
    # Even the right secret waits: the gate is checked first, from any session.
    assert not admin.try_secret("vrai", "vrai", T0 + dt.timedelta(seconds=1)).allowed
    assert admin.try_secret("faux", "vrai", T0 + dt.timedelta(seconds=2)).message.endswith(
        "attendez 4 s avant un nouvel essai."
    )
    assert admin.try_secret("vrai", "vrai", T0 + dt.timedelta(seconds=6)).allowed
    assert admin.gate(T0 + dt.timedelta(seconds=6)).allowed  # success resets the counter


def test_lockout_after_too_many_failures_survives_a_restart(state_dir):
    moment = T0
    for _ in range(admin.LOCKOUT_AFTER):
        moment += dt.timedelta(seconds=admin.MAX_DELAY_SECONDS)
        admin.try_secret("faux", "vrai", moment)
    assert (state_dir / ".acces_admin.json").is_file()  # kept on disk: a restart keeps it
    locked = admin.gate(moment + dt.timedelta(minutes=1))
    assert not locked.allowed
    assert "suspendu jusqu'à" in locked.message and "recharg" not in locked.message
    later = moment + dt.timedelta(seconds=admin.LOCKOUT_SECONDS)
    assert admin.gate(later).allowed


def test_failures_are_logged_without_the_secret(caplog):
    with caplog.at_level(logging.WARNING, logger="aisnemap.admin"):
        admin.try_secret("mot-de-passe-essayé", "le-vrai-secret", T0)
    assert "échec d'authentification" in caplog.text
    assert "mot-de-passe-essayé" not in caplog.text and "le-vrai-secret" not in caplog.text

"""What a run derives from shared data is kept per owner and forgotten with it."""

from __future__ import annotations

import gc

import pandas as pd

from aisnemap.ui import memo


def test_a_result_is_computed_once_per_owner_and_key_and_forgotten_with_its_owner():
    calls: list[str] = []

    def compute(label: str):
        calls.append(label)
        return (label, len(calls))

    first, second = pd.DataFrame({"a": [1]}), pd.DataFrame({"a": [1]})
    assert memo.remembered(first, ("k", 1), lambda: compute("x")) == ("x", 1)
    assert memo.remembered(first, ("k", 1), lambda: compute("y")) == ("x", 1)  # kept
    assert memo.remembered(first, ("k", 2), lambda: compute("z")) == ("z", 2)  # other key
    # Equal content, another object (a new file version): computed again.
    assert memo.remembered(second, ("k", 1), lambda: compute("w")) == ("w", 3)
    entries = len(memo._MEMO)
    owner_id = id(first)
    del first
    gc.collect()
    assert len(memo._MEMO) == entries - 2
    assert not [k for k in memo._MEMO if k[0] == owner_id]


def test_the_oldest_results_go_first_past_the_limit(monkeypatch):
    monkeypatch.setattr(memo, "KEPT", 3)
    owner = pd.DataFrame()
    for k in range(5):
        memo.remembered(owner, ("limite", k), lambda k=k: k)
    kept = [k[1] for k in memo._MEMO if k[0] == id(owner)]
    assert len(memo._MEMO) <= 3 and kept[-1] == ("limite", 4)

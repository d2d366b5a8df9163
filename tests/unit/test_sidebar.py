"""The sidebar's calls written down and drawn later in the run (aisnemap.ui.sidebar)."""

from __future__ import annotations

import copy
import pickle

from aisnemap.ui.sidebar import LaterSidebar


def test_calls_are_written_down_in_order_with_their_arguments():
    later = LaterSidebar()
    later.header("Filtres")
    later.selectbox("Arrondissement", ["", "023"], key="f_arrondissement")
    assert [(name, args) for name, args, _ in later.calls] == [
        ("header", ("Filtres",)),
        ("selectbox", ("Arrondissement", ["", "023"])),
    ]
    assert later.calls[1][2] == {"key": "f_arrondissement"}


def test_it_is_copied_and_kept_like_any_session_value():
    """Only public names are sidebar calls: copy and pickle find no hook of their own."""
    later = LaterSidebar()
    later.caption("texte")
    assert not hasattr(later, "__deepcopy__") and not hasattr(later, "_private")
    assert copy.deepcopy(later).calls == later.calls
    assert pickle.loads(pickle.dumps(later)).calls == later.calls

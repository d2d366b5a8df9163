"""streamlit-folium's component with the base map rendered once per version.

``st_folium`` renders its whole map on every run: for the dashboard that is the 800
communes, the EPCI and the outlines, about 40 ms of each filter change on the server,
for a script that no filter changes. Here the base map's parts (script, header, html,
links, the component's key) are made once per ``base_key`` and kept; a run renders only
the layers a filter changes and the layer control, on a shallow copy of the kept map.
Same front end (streamlit-folium's), same arguments as ``st_folium`` with
``returned_objects=[]``. Built on streamlit-folium 0.27.4's helpers (pinned in
requirements.txt); ``tests/unit/test_maps.py`` checks the arguments are ``st_folium``'s
own.
"""

from __future__ import annotations

import copy
import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

import folium
import streamlit_folium as sf

from aisnemap.render.maps import base_map

if TYPE_CHECKING:
    from aisnemap.ui.data import AppData

#: Base maps kept (one per département, data version and service types in practice).
_KEPT = 24


@dataclass(frozen=True)
class BaseParts:
    """What ``st_folium`` derives from the base map, once."""

    fmap: folium.Map
    script: str
    header: str
    html: str
    map_id: str
    css_links: tuple[str, ...]
    js_links: tuple[str, ...]
    #: The component's key (hash of the script and the widget key), per widget key.
    hashes: dict[str, str]

    def hash_key(self, key: str) -> str:
        if key not in self.hashes:
            self.hashes[key] = sf.generate_js_hash(self.script, key, False)
        return self.hashes[key]


_BASES: OrderedDict[Hashable, BaseParts] = OrderedDict()
_LOCK = threading.Lock()


def home_base_map(
    data: AppData, service_types: Sequence[str], static: str
) -> tuple[Hashable, Callable[[], folium.Map]]:
    """The map page's base map: its key here and how to build it (the page draws it; the
    warm start, aisnemap.serve, renders it before the first visitor comes)."""
    key = ("carte", data.department.code, data.version, tuple(service_types), static)
    return key, lambda: base_map(
        data.layers, data.department_bounds, service_types, static_url=static
    )


def register_component() -> None:
    """Have this server serve streamlit-folium's front end when its module was imported
    outside a script run (the warm start): Streamlit registers a component only when it
    is declared within one, and the module is declared once, when first imported."""
    from streamlit import runtime

    if not runtime.exists():
        return
    registry = runtime.get_instance().component_registry
    component = sf._component_func
    if registry.get_component_path(component.name) is None:
        registry.register_component(component)


def _links(element) -> tuple[list[str], list[str]]:
    css: list[str] = []
    js: list[str] = []

    def walk(node) -> None:
        if isinstance(node, folium.elements.JSCSSMixin):
            css.extend(href for _, href in getattr(node, "default_css", []))
            js.extend(src for _, src in getattr(node, "default_js", []))
        for child in getattr(node, "_children", {}).values():
            walk(child)

    walk(element)
    return css, js


def base_parts(base_key: Hashable, build: Callable[[], folium.Map]) -> BaseParts:
    """The base map's parts for ``base_key``, rendered on first use (same steps as
    ``st_folium``: render, html, header, then the script, which names every element by
    its place in the tree)."""
    with _LOCK:
        kept = _BASES.get(base_key)
        if kept is not None:
            _BASES.move_to_end(base_key)
            return kept
    fmap = build()
    fmap.get_root().render()
    fmap.render()
    html = sf._get_html(fmap)
    header = sf._get_header(fmap)
    script = sf._get_map_string(fmap)
    css, js = _links(fmap)
    parts = BaseParts(fmap, script, header, html, sf.get_full_id(fmap), tuple(css), tuple(js), {})
    with _LOCK:
        _BASES[base_key] = parts
        while len(_BASES) > _KEPT:
            _BASES.popitem(last=False)
    return parts


def dynamic_strings(
    parts: BaseParts, layers: Sequence[folium.FeatureGroup], control: folium.LayerControl
) -> tuple[str, str, list[str], list[str]]:
    """The layers' and the layer control's scripts for this run, and their links, made on
    a shallow copy of the kept map (its own children and figure: the kept one is never
    changed, whatever the sessions do at once)."""
    fmap = copy.copy(parts.fmap)
    fmap._children = OrderedDict(parts.fmap._children)
    fmap._parent = folium.Figure()
    groups = "".join(
        sf._get_feature_group_string(layer, map=fmap, idx=i) for i, layer in enumerate(layers)
    )
    css: list[str] = list(parts.css_links)
    js: list[str] = list(parts.js_links)
    for layer in layers:
        more_css, more_js = _links(layer)
        css += more_css
        js += more_js
    return (
        groups,
        sf._get_layer_control_string(control, fmap),
        list(dict.fromkeys(css)),
        list(dict.fromkeys(js)),
    )


def folium_map(
    base_key: Hashable,
    build: Callable[[], folium.Map],
    layers: Sequence[folium.FeatureGroup],
    key: str,
    height: int,
) -> object:
    """Draw the map (full width): the kept base map and this run's layers."""
    import streamlit as st

    parts = base_parts(base_key, build)
    groups, control, css, js = dynamic_strings(parts, layers, folium.LayerControl(collapsed=True))
    hash_key = parts.hash_key(key)

    def on_change() -> None:
        st.session_state[key] = st.session_state.get(hash_key, {})

    return sf._component_func(
        script=parts.script,
        header=parts.header,
        html=parts.html,
        id=parts.map_id,
        key=hash_key,
        height=height,
        width=None,
        returned_objects=[],
        default={},
        zoom=None,
        center=None,
        feature_group=groups,
        return_on_hover=False,
        layer_control=control,
        pixelated=False,
        css_links=css,
        js_links=js,
        on_change=on_change,
        wrap_longitude=False,
    )

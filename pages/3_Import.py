"""Page "Import vague 2": upload, validate, preview and confirm new or updated sites."""

import pandas as pd
import streamlit as st
from streamlit_folium import st_folium

from aisnemap import importer, maps, texts
from aisnemap import schema as s
from aisnemap.ui.figures import fmt_int
from aisnemap.ui.page import current_view, footer, static_url

MAX_ATTEMPTS = 5

view = current_view()
data = view.data
st.title(texts.IMPORT_TITLE)


def configured_secret() -> str | None:
    try:
        secrets = dict(st.secrets)
    except Exception:  # noqa: BLE001 - no secrets file is a normal configuration
        secrets = {}
    return importer.admin_secret(secrets)


secret = configured_secret()
if data.territory is None:
    footer()
    st.stop()
if not secret:
    st.info(texts.IMPORT_CLOSED)
    footer()
    st.stop()
if not st.session_state.get("import_autorise"):
    attempts = st.session_state.get("import_essais", 0)
    if attempts >= MAX_ATTEMPTS:
        st.error(texts.IMPORT_LOCKED)
        st.stop()
    with st.form("import_connexion"):
        given = st.text_input(texts.IMPORT_SECRET, type="password", key="import_secret")
        submitted = st.form_submit_button(texts.IMPORT_LOGIN)
    if submitted:
        if importer.check_secret(given, secret):
            st.session_state["import_autorise"] = True
            st.rerun()
        st.session_state["import_essais"] = attempts + 1
        st.error(texts.IMPORT_REFUSED)
    st.stop()

st.caption(texts.IMPORT_INTRO)
communes = data.territory.communes
current = pd.DataFrame(data.sites[list(s.COLUMNS)]) if data.sites is not None else None
modes = list(texts.IMPORT_MODES) if current is not None else [importer.MODE_REPLACE]
mode = st.radio(texts.IMPORT_MODE, modes, format_func=texts.IMPORT_MODES.get, key="import_mode")
upload = st.file_uploader(texts.IMPORT_FILE, type=["csv", "txt"], key="import_fichier")
if upload is not None:
    base = current if current is not None else pd.DataFrame(columns=list(s.COLUMNS))
    preview = importer.prepare_import(upload.getvalue(), base, communes, mode)
    errors = [p for p in preview.problems if p.severity == "erreur"]
    warnings = [p for p in preview.problems if p.severity != "erreur"]
    if errors:
        st.error(texts.IMPORT_PROBLEMS)
        st.dataframe(
            pd.DataFrame(
                [{"Ligne": p.row, "Colonne": p.column or "", "Problème": p.message} for p in errors]
            ),
            hide_index=True,
            width="stretch",
        )
    if warnings:
        st.warning(texts.IMPORT_WARNINGS + " : " + " · ".join(map(str, warnings)))
    if preview.ok:
        cols = st.columns(3)
        for col, key, label in zip(
            cols,
            ("sites", "conseillers", "communes"),
            (texts.FIG_SITES, texts.FIG_ADVISORS, texts.FIG_COMMUNES),
            strict=True,
        ):
            before, after = preview.totals_before.get(key, 0), preview.totals_after[key]
            col.metric(
                label, fmt_int(after), delta=fmt_int(after - before), help=f"avant : {before}"
            )
        st.subheader(texts.IMPORT_CHANGES)
        for label, ids in (
            (texts.IMPORT_ADDED, preview.added),
            (texts.IMPORT_MODIFIED, preview.modified),
            (texts.IMPORT_REMOVED, preview.removed),
        ):
            st.write(f"**{label}** ({len(ids)}) : " + (", ".join(ids) if ids else "—"))
        if preview.sites is not None and not preview.sites.empty:
            st.caption(texts.IMPORT_PREVIEW_MAP)
            st_folium(
                maps.build_map(
                    data.layers,
                    preview.sites,
                    data.department_bounds,  # the whole department: new sites in context
                    department_bounds=data.department_bounds,
                    static_url=static_url(),
                ),
                key="carte_import",
                height=420,
                use_container_width=True,
                returned_objects=[],
            )
        if not preview.changed:
            st.info(texts.IMPORT_NO_CHANGE)
        elif st.button(texts.IMPORT_CONFIRM, type="primary", key="import_confirmer"):
            try:
                backup = importer.save_structures(preview.new_table)
            except importer.SaveError as exc:
                st.error(texts.IMPORT_FAILED.format(error=exc))
            else:
                st.success(texts.IMPORT_DONE.format(backup=backup.name if backup else "—"))
footer()

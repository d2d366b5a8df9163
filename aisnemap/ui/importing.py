"""Widgets of the import page: access, allowed values, preview, backups and restore."""

from __future__ import annotations

import pandas as pd
import streamlit as st
from streamlit_folium import st_folium

from aisnemap import config
from aisnemap.admin import access as admin
from aisnemap.admin import importer
from aisnemap.domain import schema as s
from aisnemap.french import texts
from aisnemap.render import maps
from aisnemap.ui.data import AppData
from aisnemap.ui.figures import fmt_int
from aisnemap.ui.page import static_url
from aisnemap.ui.tables import show_table

K_AUTHORISED = "import_autorise"
K_PREVIEW = "import_apercu"
K_RESTORE = "import_restauration"


def configured_secret() -> str | None:
    """The admin secret from Streamlit secrets or the environment (None: page closed)."""
    try:
        secrets = dict(st.secrets)
    except Exception:  # noqa: BLE001 - no secrets file is a normal configuration
        secrets = {}
    return admin.admin_secret(secrets)


def authorised(secret: str) -> bool:
    """Draw the secret form until the right secret is given (server-wide delays)."""
    if st.session_state.get(K_AUTHORISED):
        return True
    gate = admin.gate()
    if not gate.allowed:
        st.error(gate.message)
        return False
    with st.form("import_connexion"):
        given = st.text_input(texts.IMPORT_SECRET, type="password", key="import_secret")
        submitted = st.form_submit_button(texts.IMPORT_LOGIN)
    if submitted:
        result = admin.try_secret(given, secret)
        if result.allowed:
            st.session_state[K_AUTHORISED] = True
            st.rerun()
        st.error(result.message)
    return False


def allowed_values() -> None:
    """Columns, their accepted names and the allowed categories."""
    with st.expander(texts.IMPORT_HELP_TITLE):
        rows = [
            {
                "Colonne": column,
                "Autres noms acceptés": ", ".join(s.COLUMN_ALIASES.get(column, ())),
                "Obligatoire": texts.NO if column in s.OPTIONAL_COLUMNS else texts.YES,
            }
            for column in s.COLUMNS
        ]
        show_table(pd.DataFrame(rows))
        st.markdown(
            texts.literal(
                f"type_operateur : {', '.join(s.OPERATOR_TYPES)}. "
                f"type_service : {', '.join(s.SERVICE_TYPES)}. "
                f"conseillers : un entier, ou « {s.ADVISORS_UNKNOWN} ». "
                "itinerant : oui, non, ou vide (non renseigné). vague : 1, 2… ou « vague 2 »."
            )
        )


def _problems(preview: importer.Preview) -> None:
    errors = [p for p in preview.problems if p.severity == s.ERROR]
    warnings = [p for p in preview.problems if p.severity != s.ERROR]
    if errors:
        st.error(texts.IMPORT_PROBLEMS)
        table = [{"Ligne": p.row, "Colonne": p.column or "", "Problème": p.message} for p in errors]
        show_table(pd.DataFrame(table))
    if warnings:
        st.warning(texts.literal(f"{texts.IMPORT_WARNINGS} : " + " · ".join(map(str, warnings))))


def _totals(preview: importer.Preview) -> None:
    keys = [
        ("sites", texts.FIG_SITES),
        ("conseillers", texts.FIG_ADVISORS),
        ("communes", texts.FIG_COMMUNES),
    ]
    if preview.totals_after.get("effectif_non_publie") or preview.totals_before.get(
        "effectif_non_publie"
    ):
        keys.append(("effectif_non_publie", texts.IMPORT_UNKNOWN_COUNT))
    for col, (key, label) in zip(st.columns(len(keys)), keys, strict=True):
        before, after = preview.totals_before.get(key, 0), preview.totals_after[key]
        col.metric(
            label, fmt_int(after), delta=fmt_int(after - before), help=f"avant : {fmt_int(before)}"
        )


def show_preview(preview: importer.Preview, data: AppData, map_key: str) -> None:
    """Problems, totals before → after, the changed sites field by field, and a map."""
    _problems(preview)
    if not preview.ok:
        return
    _totals(preview)
    st.subheader(texts.IMPORT_CHANGES)
    for label, ids in (
        (texts.IMPORT_ADDED, preview.added),
        (texts.IMPORT_MODIFIED, preview.modified),
        (texts.IMPORT_REMOVED, preview.removed),
    ):
        listed = texts.literal(", ".join(ids)) if ids else "—"
        st.markdown(f"**{label}** ({len(ids)}) : {listed}")
    if preview.changes:
        st.caption(texts.IMPORT_FIELD_CHANGES)
        rows = [
            {"site": ident, "colonne": column, "avant": old, "apres": new}
            for ident, changes in preview.changes.items()
            for column, old, new in changes
        ]
        show_table(pd.DataFrame(rows).rename(columns=texts.IMPORT_FIELD_COLUMNS))
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
            key=map_key,
            height=420,
            use_container_width=True,
            returned_objects=[],
        )


def _commit(preview: importer.Preview, state_key: str, done: str) -> None:
    """Save what the preview showed (refused if the file changed since) and say so."""
    try:
        backup = importer.commit(preview)
    except importer.SaveError as exc:
        st.error(texts.literal(texts.IMPORT_FAILED.format(error=exc)))
    else:
        st.session_state.pop(state_key, None)
        st.success(done.format(backup=texts.literal(backup.name if backup else "—")))


def import_section(data: AppData) -> None:
    """Upload, preview against the served file's version, confirm."""
    served = importer.read_served(data.context.structures, data.territory.insee_codes)
    allowed_values()
    modes = list(texts.IMPORT_MODES)
    mode = st.radio(texts.IMPORT_MODE, modes, format_func=texts.IMPORT_MODES.get, key="import_mode")
    upload = st.file_uploader(
        texts.IMPORT_FILE,
        type=["csv", "txt"],
        key="import_fichier",
        max_upload_size=round(s.MAX_BYTES / 1e6),  # the widget says 2 Mo, as the README
    )
    if upload is None:
        st.session_state.pop(K_PREVIEW, None)
        return
    # The preview is kept as the user saw it: confirming saves exactly that, and only if
    # the served file is still the version it was computed against.
    key = (upload.file_id, mode)
    stored = st.session_state.get(K_PREVIEW)
    if stored is None or stored[0] != key:
        preview = importer.prepare_import(
            upload.getvalue(),
            served.frame,
            data.territory.communes,
            mode,
            served.version,
            metric_crs=data.territory.metric_crs,
        )
        st.session_state[K_PREVIEW] = (key, preview)
    else:
        preview = stored[1]
    show_preview(preview, data, "carte_import")
    if not preview.ok:
        return
    if not preview.changed:
        st.info(texts.IMPORT_NO_CHANGE)
        return
    left, right = st.columns(2)
    if right.button(texts.IMPORT_RELOAD, key="import_recharger"):
        st.session_state.pop(K_PREVIEW, None)
        st.rerun()
    if left.button(texts.IMPORT_CONFIRM, type="primary", key="import_confirmer"):
        _commit(preview, K_PREVIEW, texts.IMPORT_DONE)


def backups_section(data: AppData) -> None:
    """Download the served file; list, preview and restore backups."""
    st.subheader(texts.IMPORT_CURRENT_TITLE)
    try:
        current = data.context.structures.read_bytes()
    except OSError:
        current = None
    if current is not None:
        st.download_button(
            texts.IMPORT_DOWNLOAD,
            current,
            file_name="structures.csv",
            mime="text/csv",
            key="import_telecharger",
            on_click="ignore",
        )
    backups = importer.list_backups()
    if not backups:
        st.caption(texts.IMPORT_BACKUPS_NONE)
        return
    labels = {}
    for path in backups:
        reason = importer.verify_backup(path)
        labels[path.name] = f"{path.name} — {reason or texts.IMPORT_BACKUP_OK}"
    picked = st.selectbox(
        texts.IMPORT_BACKUP_PICK, list(labels), format_func=labels.get, key="import_sauvegarde"
    )
    if st.button(texts.IMPORT_BACKUP_PREVIEW, key="import_voir_restauration"):
        try:
            preview = importer.prepare_restore(
                config.BACKUP_DIR / picked,
                data.territory.communes,
                metric_crs=data.territory.metric_crs,
            )
        except importer.SaveError as exc:
            st.session_state.pop(K_RESTORE, None)
            st.error(texts.literal(exc))
        else:
            st.session_state[K_RESTORE] = (picked, preview)
    stored = st.session_state.get(K_RESTORE)
    if not stored or stored[0] != picked:
        return
    preview = stored[1]
    show_preview(preview, data, "carte_restauration")
    if (
        preview.ok
        and preview.changed
        and st.button(texts.IMPORT_RESTORE_CONFIRM, type="primary", key="import_restaurer")
    ):
        _commit(preview, K_RESTORE, texts.IMPORT_RESTORED)

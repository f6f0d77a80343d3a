"""Dữ liệu (data): upload → report → CRS and layer choice → field mapping → preview → commit; history; exports.

The page holds no data of its own: an upload's bytes stay in the session until it is committed or
discarded, every read goes through :func:`layers.importer.prepare_import` (the same checks as
``baoyen validate`` / ``baoyen import``), and the commit is one store transaction that keeps the previous
version, which the history tab can restore. An import is based on the version the target layer had when the
file was first previewed there: when someone saved the layer since, the commit is refused and the page asks
again, naming that version, who saved it and when, before importing over it.
"""

from __future__ import annotations

import hashlib
import tempfile
from collections.abc import Callable, Mapping
from pathlib import Path

import folium
import pandas as pd
import streamlit as st
from streamlit_folium import st_folium

from geo.crs import KNOWN_CRS
from geo.errors import InputDataError, PlanError
from geo.io import MissingCRSError, SeveralLayersError
from geo.validate import CRS_CHOICES
from layers.catalogue import CATALOGUE
from layers.export import FORMATS, SUFFIX
from layers.importer import ImportPreview, suggest_layer_mapping, target_fields
from layers.model import GEOM_QUALITIES
from layers.store import VersionConflictError, check_layer_id
from services.boundaries import boundary_versions, import_boundaries
from services.data import (
    FREE_LAYER,
    audit_trail,
    current_version,
    export,
    import_preview,
    layer_history,
    restore_version,
    validate_file,
)
from services.edits import changes_since
from services.inputs import CrsChoice
from ui import common, mapkit, state
from ui.cluster_forms import when_text
from ui.common import actor, lang, seen_version, settings, show_error, store, tr
from ui.display import editor_label, number_table, origin_label, version_note

PREVIEW_ROWS = 200
MAP_HEIGHT_PX = 420
NEW_LAYER = "__new__"
#: importing into the legacy communes is the boundary import: both commune layers are rebuilt together
BOUNDARY_LAYER = "communes_legacy"
QUALITIES = tuple(q for q in GEOM_QUALITIES if q != "unlocated")


# --- pure helpers (tested without Streamlit) ---------------------------------------------------------------


def digest(data: bytes) -> str:
    """Short content hash of an upload (keys the mapping and the cache)."""
    return hashlib.sha256(data).hexdigest()[:16]


def crs_options(guess: int | None) -> list[int]:
    """The CRS choices for a file without one: the guess first, then EPSG:9208, 3405, 4326."""
    out = [guess] if guess else []
    return out + [c for c in CRS_CHOICES if c != guess]


def crs_label(epsg: int, language: str, *, guess: int | None = None) -> str:
    """Label such as ``EPSG:9208 — VN-2000 / TM-3 …`` in the session language, marked when it is the guess."""
    known = KNOWN_CRS.get(epsg)
    name = (known.name_en if language == "en" else known.name_vi) if known else ""
    mark = (" ✓ " + ("guess" if language == "en" else "đoán")) if epsg == guess else ""
    return f"EPSG:{epsg} — {name}{mark}"


def mapping_table(layer_id: str, mapping: Mapping[str, str], language: str) -> pd.DataFrame:
    """One row per target field: field, label, required, the source column mapped to it ("" for none)."""
    layer = CATALOGUE.get(layer_id)
    rows = []
    for f in target_fields(layer):
        label = f.label_en if language == "en" else f.label_vi
        rows.append({"field": f.name, "label": label, "required": f.required, "column": mapping.get(f.name, "")})
    return pd.DataFrame(rows)


def mapping_from_table(table: pd.DataFrame) -> dict[str, str]:
    """The mapping a (possibly edited) :func:`mapping_table` says."""
    return {str(r.field): str(r.column) for r in table.itertuples() if isinstance(r.column, str) and r.column}


def report_rows(preview: ImportPreview, language: str) -> list[tuple[str, str]]:
    """(label, value) lines of the validation report."""
    r = preview.read
    en = language == "en"
    yes, no = ("yes", "no") if en else ("có", "không")
    src = {"file": tr("data.crs_src.file"), "given": tr("data.crs_src.given"), "guessed": tr("data.crs_src.guessed")}
    return [
        (tr("data.r.features"), str(len(preview.frame))),
        (tr("data.r.driver"), r.driver),
        (tr("data.r.crs"), f"{r.crs} ({src.get(r.crs_source, r.crs_source)})"),
        (tr("data.r.encoding"), r.encoding or "-"),
        (tr("data.r.converted"), ", ".join(r.converted_fields) or "-"),
        (tr("data.r.repaired"), str(r.repaired)),
        (tr("data.r.empty"), str(r.empty_geometries)),
        (tr("data.r.mixed"), yes if r.mixed_types else no),
        (tr("data.r.duplicates"), ", ".join(str(v) for v in r.duplicate_ids[:10]) or "-"),
    ]


@st.cache_data(show_spinner=False, max_entries=8)
def _prepare(
    name: str,
    data: bytes,
    layer_id: str,
    crs: str | None,
    source_layer: str | None,
    mapping: tuple[tuple[str, str], ...] | None,
    quality: str,
) -> ImportPreview:
    with tempfile.TemporaryDirectory(prefix="baoyen-upload-") as tmp:
        path = Path(tmp) / (Path(name).name or "upload")
        path.write_bytes(data)
        return validate_file(
            path,
            target=layer_id,
            crs=CrsChoice(assume=crs),
            source_layer=source_layer,
            mapping=dict(mapping) if mapping is not None else None,
            geom_quality=quality,
            limits=settings().limits,
            label=f"`{Path(name).name}`",
        )


# --- the page ------------------------------------------------------------------------------------------------


def render() -> None:
    st.title(tr("data.title"))
    common.show_flash(state.DATA_FLASH)
    tab_import, tab_history, tab_export = st.tabs(
        [tr("data.tab.import"), tr("data.tab.history"), tr("data.tab.export")]
    )
    with tab_import:
        _import_tab()
    with tab_history:
        _history_tab()
    with tab_export:
        _export_tab()


def _layer_choices() -> list[str]:
    ids = [layer.id for layer in CATALOGUE]
    try:
        ids += [i for i in store().layer_ids() if i not in ids]
    except PlanError as exc:
        show_error(exc)
    return ids


def _layer_titles() -> Callable[[str], str]:
    """A layer's title as the lists show it: what its stored data is worth ("… (sơ đồ)") and its id."""
    mixes = {info.layer_id: dict(info.quality_mix) for info in store().layer_info()}

    def title(layer_id: str) -> str:
        if layer_id == NEW_LAYER:
            return tr("data.new_layer")
        if layer_id in CATALOGUE:
            return f"{CATALOGUE.get(layer_id).title(lang(), mixes.get(layer_id))} ({layer_id})"
        return layer_id

    return title


def _import_tab() -> None:
    ss = st.session_state
    choice = st.selectbox(
        tr("data.target"), [*_layer_choices(), NEW_LAYER], format_func=_layer_titles(), key=state.DATA_TARGET
    )
    layer_id = choice
    if choice == NEW_LAYER:
        layer_id = st.text_input(tr("data.new_layer_id"), key=state.DATA_NEW_ID, help=tr("data.new_layer_help"))
        if not layer_id:
            return
        try:
            check_layer_id(layer_id)
        except InputDataError as exc:
            show_error(exc)
            return
    uploader_key = f"{state.DATA_UPLOADER}{ss.get(state.DATA_UPLOAD_GEN, 0)}"
    upload = st.file_uploader(tr("data.upload"), help=tr("data.upload_help"), key=uploader_key)
    st.caption(tr("upload.caption").format(mb=settings().limits.upload_bytes // 2**20))
    if upload is not None:
        data = upload.getvalue()
        if len(data) > settings().limits.upload_bytes:
            st.error(tr("data.too_large").format(mb=settings().limits.upload_bytes // 2**20))
            return
        if ss.get(state.DATA_UPLOAD, {}).get("digest") != digest(data):
            ss[state.DATA_UPLOAD] = {"name": upload.name, "data": data, "digest": digest(data)}
            for key in (state.DATA_CRS, state.DATA_SOURCE_LAYER, state.DATA_MAPPING):
                ss.pop(key, None)
    staged = ss.get(state.DATA_UPLOAD)
    if not staged:
        st.info(tr("data.upload_first"))
        return
    # the version of the target layer when the person first looked at this file there: the base of the import
    base = staged.setdefault("bases", {}).setdefault(layer_id, current_version(store(), layer_id))
    if layer_id == BOUNDARY_LAYER:
        _boundaries(staged)
        return
    quality = st.selectbox(tr("data.quality"), QUALITIES, index=QUALITIES.index("unknown"), key=state.DATA_QUALITY)
    crs = ss.get(state.DATA_CRS)
    source_layer = ss.get(state.DATA_SOURCE_LAYER)
    mapping_key = f"{staged['digest']}:{layer_id}"
    mapping: dict[str, str] | None = ss.get(state.DATA_MAPPING, {}).get(mapping_key)
    preview = _read_or_ask(
        staged, layer_id, crs, source_layer, tuple(sorted(mapping.items())) if mapping is not None else None, quality
    )
    if preview is None:
        return
    if crs:
        st.caption(tr("data.crs_chosen").format(crs=crs))
    if layer_id in CATALOGUE:
        _mapping_editor(preview, layer_id, mapping_key)
    _preview(preview)
    _commit(preview, base, staged)


def _read_or_ask(
    staged: dict[str, object],
    layer_id: str,
    crs: str | None,
    source_layer: str | None,
    mapping: tuple[tuple[str, str], ...] | None,
    quality: str,
) -> ImportPreview | None:
    """The staged file read for ``layer_id``; None after asking for what the read still needs (CRS, layer)."""
    try:
        return _prepare(str(staged["name"]), staged["data"], layer_id, crs, source_layer, mapping, quality)  # type: ignore[arg-type]
    except MissingCRSError as exc:
        _ask_crs(exc)
    except SeveralLayersError as exc:
        show_error(exc)
        st.selectbox(tr("data.source_layer"), exc.layers, index=None, key=state.DATA_SOURCE_LAYER)
    except PlanError as exc:
        show_error(exc)
        _discard_button()
    return None


def _ask_crs(exc: MissingCRSError) -> None:
    st.warning(common.error_text(exc))
    options = crs_options(exc.guess)
    reason = common.notice_text(exc.reason)  # what the values look like, in the page's language
    if exc.guess:
        st.info(tr("data.crs_guess").format(crs=f"EPSG:{exc.guess}", reason=reason))
    else:
        st.info(tr("data.crs_no_guess").format(reason=reason))
    picked = st.radio(
        tr("data.crs_choose"),
        options,
        format_func=lambda e: crs_label(e, lang(), guess=exc.guess),
        index=None,
        key=state.DATA_CRS_PICK,
    )
    if picked is not None and st.button(tr("data.crs_apply"), key=state.DATA_CRS_APPLY):
        st.session_state[state.DATA_CRS] = f"EPSG:{picked}"
        st.rerun()


def _mapping_editor(preview: ImportPreview, layer_id: str, mapping_key: str) -> None:
    source_columns = _source_columns(preview)
    current = preview.mapping or suggest_layer_mapping(source_columns, CATALOGUE.get(layer_id))
    st.subheader(tr("data.mapping"))
    st.caption(tr("data.mapping_help"))
    table = mapping_table(layer_id, current, lang())
    edited = st.data_editor(
        table,
        key=state.DATA_MAPPING_EDITOR + mapping_key,
        hide_index=True,
        disabled=["field", "label", "required"],
        column_config={
            "field": st.column_config.TextColumn(tr("data.m.field")),
            "label": st.column_config.TextColumn(tr("data.m.label")),
            "required": st.column_config.CheckboxColumn(tr("data.m.required")),
            "column": st.column_config.SelectboxColumn(tr("data.m.column"), options=["", *source_columns]),
        },
    )
    new = mapping_from_table(edited)
    if new != current:
        st.session_state.setdefault(state.DATA_MAPPING, {})[mapping_key] = new
        st.rerun()


def _source_columns(preview: ImportPreview) -> list[str]:
    mapped = list(preview.mapping.values())
    unmapped = list(preview.schema.unmapped) if preview.schema is not None else []
    out: list[str] = []
    for c in mapped + unmapped:
        if c not in out:
            out.append(c)
    return out


def _preview(preview: ImportPreview) -> None:
    st.subheader(tr("data.report"))
    st.table(pd.DataFrame(report_rows(preview, lang()), columns=[tr("data.r.item"), tr("data.r.value")]))
    for e in preview.errors:
        st.error(common.notice_text(e))
    for w in preview.warnings:
        st.warning(common.notice_text(w))
    if preview.read.gdal_messages:
        with st.expander(tr("data.gdal")):
            for m in preview.read.gdal_messages:
                st.text(m)
    st.subheader(tr("data.preview"))
    frame = preview.frame
    located = frame[~(frame.geometry.isna() | frame.geometry.is_empty)]
    if not located.empty:
        shown = mapkit.display_frame(located)
        group = folium.FeatureGroup(name=preview.layer_id)
        folium.GeoJson(
            shown.drop(columns=[c for c in shown.columns if c not in ("id", "name", shown.geometry.name)]).to_json(),
            style_function=lambda _: {"color": "#d62728", "weight": 2, "fillOpacity": 0.2},
            marker=folium.CircleMarker(radius=5, color="#d62728", fill=True),
        ).add_to(group)
        minx, miny, maxx, maxy = shown.total_bounds
        fmap = mapkit.base_map(lang=None)
        fmap.fit_bounds([[miny, minx], [maxy, maxx]])
        st_folium(
            fmap,
            key=state.DATA_MAP,
            height=MAP_HEIGHT_PX,
            use_container_width=True,
            returned_objects=[],
            feature_group_to_add=[mapkit.context_group(lang=lang()), mapkit.use_local_assets(group)],
        )
    table = pd.DataFrame(frame.drop(columns=frame.geometry.name)).head(PREVIEW_ROWS)
    st.dataframe(number_table(table, lang()), hide_index=True)
    if len(frame) > PREVIEW_ROWS:
        st.caption(tr("data.preview_rows").format(n=PREVIEW_ROWS, total=len(frame)))


def stale_question(layer_id: str, base: int, version: int, language: str) -> str:
    """The question asked before importing over ``version`` of a layer the preview saw at ``base``."""
    saved = next((v for v in changes_since(store(), layer_id, base).versions if v.version == version), None)
    return tr("conflicts.import_stale").format(
        layer=_layer_titles()(layer_id),
        version=version,
        user=saved.user if saved else "-",
        at=when_text(saved.written_at if saved else "", language),
    )


def _commit(preview: ImportPreview, base: int, staged: dict[str, object]) -> None:
    message = st.text_input(tr("data.message"), key=state.DATA_MESSAGE)
    # the layer moved on since the preview: the version the person was told about and agreed to import over
    stale: dict[str, int] = staged.setdefault("stale", {})  # type: ignore[assignment]
    over = stale.get(preview.layer_id)
    if over is not None:
        st.warning(stale_question(preview.layer_id, base, over, lang()))
    cols = st.columns(2)
    with cols[0]:
        if over is None:
            clicked = st.button(tr("data.commit"), type="primary", disabled=not preview.ok, key=state.DATA_COMMIT)
        else:
            clicked = st.button(
                tr("conflicts.import_anyway").format(version=over),
                type="primary",
                disabled=not preview.ok,
                key=state.DATA_COMMIT_ANYWAY,
            )
    with cols[1]:
        _discard_button()
    if not preview.ok:
        st.caption(tr("data.blocked"))
    if clicked:
        try:
            done = import_preview(
                store(), preview, actor=actor(), base_version=base if over is None else over, message=message
            )
        except VersionConflictError:
            stale[preview.layer_id] = current_version(store(), preview.layer_id)
            st.rerun()
        except PlanError as exc:
            show_error(exc)
            return
        _clear_upload()
        st.session_state[state.DATA_FLASH] = tr("data.committed").format(
            n=len(preview.frame), layer=preview.layer_id, version=done.version
        )
        st.rerun()


def _discard_button() -> None:
    if st.button(tr("data.discard"), key=state.DATA_DISCARD):
        _clear_upload()
        st.rerun()


def _clear_upload() -> None:
    """Forget the staged upload and its choices, and give the uploader a fresh key (it drops its file)."""
    ss = st.session_state
    for key in (state.DATA_UPLOAD, state.DATA_CRS, state.DATA_SOURCE_LAYER, state.DATA_MAPPING, state.DATA_CRS_PICK):
        ss.pop(key, None)
    ss[state.DATA_UPLOAD_GEN] = ss.get(state.DATA_UPLOAD_GEN, 0) + 1


def _history_tab() -> None:
    try:
        ids = store().layer_ids()
    except PlanError as exc:
        show_error(exc)
        return
    if not ids:
        st.info(tr("data.no_layers"))
        return
    layer_id = st.selectbox(tr("data.layer"), ids, format_func=_layer_titles(), key=state.DATA_HISTORY_LAYER)
    base = seen_version("data.history", layer_id)
    versions = layer_history(store(), layer_id).versions
    table = pd.DataFrame(
        [
            {
                tr("data.h.version"): v.version,
                tr("data.h.when"): when_text(v.written_at, lang()),
                tr("data.h.user"): editor_label(v.user, lang()),
                tr("data.h.origin"): origin_label(v.origin, lang()),
                tr("data.h.features"): v.features,
                tr("data.h.message"): version_note(v.message, lang()),
                tr("data.h.current"): "✓" if v.current else "",
            }
            for v in versions
        ]
    )
    st.dataframe(number_table(table, lang(), grouped=(tr("data.h.features"),)), hide_index=True)
    # below the versions: the layer's audit trail (every change, who made it, the versions around it)
    st.markdown(f"**{tr('data.audit.title')}**")
    entries = audit_trail(store(), layer=layer_id).entries
    if entries:
        when = "%d/%m/%Y %H:%M" if lang() == "vi" else "%Y-%m-%d %H:%M"
        st.dataframe(
            pd.DataFrame(
                [
                    {
                        tr("data.audit.at"): pd.Timestamp(e.at).strftime(when),
                        tr("data.audit.user"): editor_label(e.user, lang()),
                        tr("data.audit.action"): tr(f"data.audit.act.{e.action}"),
                        tr("data.audit.before"): e.version_before,
                        tr("data.audit.after"): e.version_after,
                        tr("data.audit.summary"): version_note(e.summary, lang()),
                    }
                    for e in entries
                ]
            ),
            hide_index=True,
        )
    else:
        st.caption(tr("data.audit.none"))
    older = [v.version for v in versions if not v.current]
    if not older:
        return
    pick = st.selectbox(tr("data.restore_pick"), older, key=state.DATA_RESTORE_PICK)
    if st.button(tr("data.restore"), key=state.DATA_RESTORE):
        try:
            done = restore_version(store(), layer_id, int(pick), actor=actor(), base_version=base)
        except PlanError as exc:
            show_error(exc)
            return
        st.session_state[state.DATA_FLASH] = tr("data.restored").format(layer=layer_id, old=pick, version=done.version)
        st.rerun()


def _export_tab() -> None:
    try:
        ids = store().layer_ids()
    except PlanError as exc:
        show_error(exc)
        return
    if not ids:
        st.info(tr("data.no_layers"))
        return
    layer_id = st.selectbox(tr("data.layer"), ids, format_func=_layer_titles(), key=state.DATA_EXPORT_LAYER)
    fmt = st.selectbox(
        tr("data.format"), FORMATS, format_func=lambda f: tr(f"data.fmt.{f}"), key=state.DATA_EXPORT_FORMAT
    )
    crs = st.radio(
        tr("data.export_crs"),
        ["EPSG:9208", "EPSG:4326"],
        format_func=lambda c: crs_label(int(c[5:]), lang()),
        key=state.DATA_EXPORT_CRS,
        horizontal=True,
    )
    if st.button(tr("data.export"), key=state.DATA_EXPORT):
        try:
            data, name = _export_bytes(layer_id, fmt, crs)
        except PlanError as exc:
            show_error(exc)
            return
        st.download_button(tr("data.download").format(name=name), data, file_name=name, key=state.DATA_DOWNLOAD)


def _export_bytes(layer_id: str, fmt: str, crs: str) -> tuple[bytes, str]:
    name = f"{layer_id}_{crs.replace(':', '')}{SUFFIX[fmt]}"
    with tempfile.TemporaryDirectory(prefix="baoyen-export-") as tmp:
        out = Path(tmp) / name
        export(store(), layer_id, fmt, out, crs=crs)
        return out.read_bytes(), name


def _boundaries(staged: dict[str, object]) -> None:
    """Real commune boundaries: the same use case as the import-boundaries command, on the uploaded file."""
    st.info(tr("data.boundaries.help"))
    ss = st.session_state
    bases: dict[str, int] = staged.setdefault("boundary_bases", boundary_versions(store()))  # type: ignore[assignment]
    quality = st.selectbox(
        tr("data.quality"), ("surveyed", "digitised", "approximate"), index=1, key=state.DATA_BOUNDARY_QUALITY
    )
    crs = ss.get(state.DATA_CRS)
    source_layer = ss.get(state.DATA_SOURCE_LAYER)
    # read it first, as any import: the CRS or the layer to use is asked before the button
    preview = _read_or_ask(staged, FREE_LAYER, crs, source_layer, None, quality)
    if preview is None:
        return
    _preview(preview)
    # a commune layer saved since the preview: asked again, naming the versions imported over
    stale: dict[str, int] = staged.setdefault("boundary_stale", {})  # type: ignore[assignment]
    for layer_id, version in stale.items():
        st.warning(stale_question(layer_id, bases.get(layer_id, 0), version, lang()))
    label = (
        tr("data.boundaries.commit")
        if not stale
        else tr("conflicts.import_anyway").format(version=", ".join(str(v) for v in stale.values()))
    )
    if st.button(label, type="primary", key=state.DATA_BOUNDARY_COMMIT):
        s = store()
        with tempfile.TemporaryDirectory(prefix="baoyen-upload-") as tmp:
            path = Path(tmp) / (Path(str(staged["name"])).name or "upload")
            path.write_bytes(staged["data"])  # type: ignore[arg-type]
            try:
                done = import_boundaries(
                    s,
                    path,
                    actor=actor(),
                    base_versions={**bases, **stale},
                    crs=CrsChoice(assume=crs),
                    source_layer=source_layer,
                    quality=quality,
                    limits=settings().limits,
                    label=Path(str(staged["name"])).name,
                )
            except VersionConflictError:
                now = boundary_versions(s)
                stale.update({lid: v for lid, v in now.items() if v != bases.get(lid, 0)})
                st.rerun()
            except PlanError as exc:
                show_error(exc)
                return
        _clear_upload()
        ss[state.DATA_FLASH] = tr("data.boundaries.done").format(
            matched=len(done.match.matched),
            units=done.units,
            by_code=done.by_code,
            by_name=done.by_name,
            legacy=done.versions.get("communes_legacy"),
            v2025=done.versions.get("communes_2025"),
        )
        st.rerun()

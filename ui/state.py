"""Every ``st.session_state`` key the UI uses, declared in one place (UI state only, no data)."""

from __future__ import annotations

LANG = "lang"  # "vi" | "en"
SAMPLE_BUTTON = "store.sample_button"  # the sidebar button opening or closing the sample store
USE_SAMPLE = "store.use_sample"  # True while this session shows the sample store instead of the planner's
SEEN_VERSIONS = "store.seen_versions"  # "section:layer id" -> version the section last showed (base of a change)
# --- map page ---
MAP_COMPONENT = "map.component"  # st_folium key (its last value: the clicked feature's tooltip)
MAP_BASEMAP = "map.basemap"  # "none" | "osm" | "satellite", kept across pages
MAP_VISIBLE = "map.visible."  # + layer id -> bool, kept across pages
MAP_GROUP_VISIBLE = "map.group."  # + group id -> bool, kept across pages
MAP_WIDGET = "map.widget."  # + one of the keys above: the widget bound to it (Streamlit drops widget state off-page)
MAP_SEARCH = "map.search"  # search text
MAP_PICK = "map.pick."  # + folded query -> chosen result index
MAP_SELECTED = "map.selected"  # (layer id, feature id) shown in the side panel
MAP_LAST_CLICK = "map.last_click"  # last clicked (layer id, feature id), to tell a new click from a rerun
MAP_LAST_PICK = "map.last_pick"  # last chosen search result, likewise
# --- clusters page ---
CLUSTERS_PICK = "clusters.pick"  # chosen cluster id (of the clusters layer)
CLUSTERS_AS_OF = "clusters.as_of"  # date the occupancy is measured at
CLUSTERS_LEASABLE = "clusters.leasable."  # + cluster id -> leasable ha entered by the planner (or None)
CLUSTERS_WHATIF = "clusters.whatif"  # what-if candidates picked: category keys and "facility:" + facility id
CLUSTERS_WHATIF_HA = "clusters.whatif_ha."  # + candidate key (category or "facility:" + id) -> area it needs, ha
CLUSTERS_MAP = "clusters.map."  # + cluster id: st_folium key (one stable map per cluster)
CLUSTERS_IMPORT_LAYER = "clusters.import_layer"  # which layer an upload replaces for this cluster
CLUSTERS_UPLOAD = "clusters.upload"  # file uploader
CLUSTERS_UPLOAD_PART = "clusters.upload_part"  # feature id picked when an uploaded boundary holds several
CLUSTERS_QUALITY = "clusters.quality"  # geometry quality of imported/added lots
CLUSTERS_EDITOR = "clusters.editor."  # + cluster id: data editor of the lots' attributes
CLUSTERS_CORNERS = "clusters.corners"  # corner coordinates of a new lot
CLUSTERS_NEW_STATUS = "clusters.new_status"  # status of the new lot
CLUSTERS_NEW_TENANT = "clusters.new_tenant"
CLUSTERS_NEW_LOT_NO = "clusters.new_lot_no"
CLUSTERS_NEW_LEASED = "clusters.new_leased"
CLUSTERS_FLASH = "clusters.flash"  # message shown once after a save (the page reruns to re-read the store)
CLUSTERS_DRAW_GEN = "clusters.draw_gen"  # int, bumped after a drawn save: a new map instance without the drawings
CLUSTERS_DRAW_FORM = "clusters.draw."  # + cluster id . gen . shape no . field: form of the lots just drawn
CLUSTERS_DRAW_SAVE = "clusters.draw_save"  # "Lưu lô" submit button of that form
CLUSTERS_RESHAPE = "clusters.reshape."  # + cluster id . gen: lot id loaded on the map for reshaping (or None)
CLUSTERS_RESHAPE_SAVE = "clusters.reshape_save"  # button saving the reshaped lot
CLUSTERS_DELETE = "clusters.delete."  # + cluster id: lot id picked for deletion
# --- materials page ---
MATERIALS_SPECIES = "materials.species"  # species key (or plan zone kind) shown on the choropleth
MATERIALS_UNITS = "materials.units"  # "legacy" | "2025": the communes the hectares are summed by
MATERIALS_SCHEME = "materials.scheme"  # mapclassify scheme of the choropleth
MATERIALS_PLANT = "materials.plant"  # processing plant id whose supply area is drawn
MATERIALS_DISTANCE = "materials.distance"  # supply distance, km
MATERIALS_ROADS = "materials.roads"  # "" (straight line) or a line layer id to measure along
MATERIALS_YIELD = "materials.yield"  # yield per ha and year (0: none)
MATERIALS_CAPACITY = "materials.capacity"  # plant capacity per year in the yield's unit (0: none)
MATERIALS_MAP = "materials.map"  # st_folium key
MATERIALS_CSV = "materials.csv"  # download button, CSV
MATERIALS_XLSX = "materials.xlsx"  # download button, XLSX
# --- targets page ---
TARGETS_AS_OF = "targets.as_of"  # date the targets are evaluated on
TARGETS_REPORT = "targets.report"  # {"period", "lang", "docx", "xlsx"} of the last report made
TARGETS_SAVED = "targets.saved"  # message after an entry was saved (shown once)
# --- data page ---
DATA_TARGET = "data.target"  # layer id an upload goes to (or "__new__")
DATA_NEW_ID = "data.new_id"  # id typed for a new layer
DATA_UPLOADER = "data.uploader."  # + generation: file uploader (a new generation empties it)
DATA_UPLOAD_GEN = "data.upload_gen"  # generation of the uploader, bumped on commit/discard
DATA_UPLOAD = "data.upload"  # staged upload: {"name", "data" (bytes), "digest"} until commit or discard
DATA_QUALITY = "data.quality"  # geometry quality given to imported features
DATA_CRS = "data.crs"  # "EPSG:n" chosen for a file without a CRS
DATA_CRS_PICK = "data.crs_pick"  # radio of CRS choices
DATA_CRS_APPLY = "data.crs_apply"  # button applying the picked CRS
DATA_SOURCE_LAYER = "data.source_layer"  # layer/sheet/file chosen inside a source with several
DATA_MAPPING = "data.mapping"  # "digest:layer" -> {target field: source column}
DATA_MAPPING_EDITOR = "data.mapping_editor."  # + "digest:layer": data editor of the mapping
DATA_MAP = "data.map"  # st_folium key of the preview map
DATA_MESSAGE = "data.message"  # note kept with the new version
DATA_COMMIT = "data.commit"  # commit button
DATA_DISCARD = "data.discard"  # discard button
DATA_BOUNDARY_QUALITY = "data.boundary_quality"  # geometry quality of imported real commune boundaries
DATA_BOUNDARY_COMMIT = "data.boundary_commit"  # button importing them (both commune layers in one transaction)
DATA_FLASH = "data.flash"  # message shown once after a commit or restore
DATA_HISTORY_LAYER = "data.history_layer"  # layer whose versions are listed
DATA_RESTORE_PICK = "data.restore_pick"  # version to restore
DATA_RESTORE = "data.restore"  # restore button
DATA_EXPORT_LAYER = "data.export_layer"
DATA_EXPORT_FORMAT = "data.export_format"
DATA_EXPORT_CRS = "data.export_crs"
DATA_EXPORT = "data.export"  # button that builds the export file
DATA_DOWNLOAD = "data.download"  # download button of the built file
# --- terrain page ---
TERRAIN_FLASH = "terrain.flash"  # message shown once after an import or a save
TERRAIN_UPLOAD = "terrain.upload"  # DEM file uploader
TERRAIN_IMPORT = "terrain.import"  # button storing the uploaded DEM
TERRAIN_MAP = "terrain.map."  # + "dem" | "sites": st_folium keys
TERRAIN_ZONES = "terrain.zones"  # layer whose polygons get zonal statistics
TERRAIN_THRESHOLD = "terrain.threshold"  # slope (%) the share below is given for
TERRAIN_FORM = "terrain.form"  # the criteria form
TERRAIN_RESULT = "terrain.result"  # the last siting result (analysis output, not data)
TERRAIN_SAVE = "terrain.save"  # button keeping the candidate sites as a layer

"""Folium maps of the plan's layers that work offline, stay small, and draw each layer as its catalogue says.

- :func:`base_map` makes a ``folium.Map`` whose only assets are Leaflet's own JS and CSS, served by the app
  (:mod:`ui.assets`, :func:`use_local_assets`): no jQuery, Bootstrap, Font Awesome or marker plugins.
- :func:`prepare_layer` turns a layer frame into a compact, language-free :class:`PreparedLayer` (simplified,
  rounded GeoJSON text with one style index per feature): cache it per layer version.
- :func:`add_layer` draws a layer on a map or ``FeatureGroup`` with its catalogue :class:`~layers.model.Style`
  (points as circle markers sized by ``size_field`` with square-root scaling, polygons flat or hatched, colours
  by ``color_field``). Geometry quality shows: approximate features are dashed, schematic ones dotted and
  lighter, and their tooltip and popup say so. Popups and tooltips are built in the browser from the feature's
  key figures and the labels of one language, so the data is sent once per layer version.
- :func:`add_features` draws a page's own features (lots, communes, a plant) with a tooltip table built in the
  browser from escaped text: folium's ``Tooltip``, ``Popup`` and ``GeoJsonTooltip`` insert raw HTML and are not
  used for planners' data (:mod:`ui.escape`).
- :func:`legend_html` builds the legend from the same styles, with a note on geometry qualities.

Every map made here runs a small script (``window.baoyenMapkit``) that the layers call; maps for
streamlit-folium's ``feature_group_to_add`` must therefore come from :func:`base_map`.
"""

from __future__ import annotations

import json
import math
import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, cast

import folium
import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from branca.element import Element, Figure, MacroElement
from folium.elements import JSCSSMixin
from folium.template import Template
from pyproj import Proj
from pyproj.crs import BoundCRS, CoordinateOperation

from geo.crs import DISPLAY_EPSG, WORK_EPSG, get_crs, to_display, transformer
from geo.errors import InputDataError
from geo.numbers import decimal_mark, format_number
from geo.text import fold
from layers import tiles
from layers.catalogue import SPECIES_LABELS, STATUS_LABELS
from layers.model import (
    GEOM_QUALITIES,
    GEOM_QUALITY_LABELS,
    GROUPS,
    Catalogue,
    FieldDef,
    LayerDef,
    Style,
    quality_mix,
)
from ui import assets
from ui.escape import html_text, js_json
from ui.i18n import TEXT, t

#: Bảo Yên district (legacy), lon/lat bounds of the 17 communes: the map's first view.
DISTRICT_BOUNDS: tuple[tuple[float, float], tuple[float, float]] = ((22.086, 104.209), (22.503, 104.629))
DISTRICT_CENTER: tuple[float, float] = (22.2947, 104.4187)

#: Tile basemaps: key -> (URL template, attribution, max zoom). "none" draws vector layers only, which is what
#: works offline; the tiles simply stay blank without a network.
BASEMAPS: dict[str, tuple[str, str, int] | None] = {
    "none": None,
    "osm": (
        "https://tile.openstreetmap.org/{z}/{x}/{y}.png",
        '&copy; <a href="https://www.openstreetmap.org/copyright">OpenStreetMap</a> contributors',
        19,
    ),
    "satellite": (
        "https://server.arcgisonline.com/ArcGIS/rest/services/World_Imagery/MapServer/tile/{z}/{y}/{x}",
        "Tiles &copy; Esri &mdash; Source: Esri, Maxar, Earthstar Geographics, and the GIS User Community",
        18,
    ),
}

#: Display defaults: ~5 m simplification and 5 decimals (~1 m) are far below what a screen shows at zoom 16.
SIMPLIFY_M = 5.0
DECIMALS = 5
_M_PER_DEG = 111_320.0

#: Qualities that are drawn differently and say so (see legend_html).
FLAGGED_QUALITIES: tuple[str, ...] = ("approximate", "schematic")
_DASH = {"approximate": "8 5", "schematic": "2 5"}
_POINT_DASH = {"approximate": "4 3", "schematic": "2 3"}
_FILL_FACTOR = {"approximate": 0.7, "schematic": 0.55}

#: Units whose numbers are shown as they are (no thousands separator): years, degrees.
_PLAIN_UNITS = ("year", "°")

#: PROJ's "VN-2000 to WGS 84 (2)", the datum shift geo.crs's transformer picks (tests/geo/test_crs.py)
DATUM_SHIFT_EPSG = 6960
#: co-located points are drawn this far apart (metres on the ground, so the same at every zoom)
SPREAD_M = 150.0

#: The reference a feature's tooltip carries (hidden) so a click can be traced to the feature: ⟦layer/id⟧.
REF_OPEN, REF_CLOSE = "\u27e6", "\u27e7"


# --- assets ---------------------------------------------------------------------------------------------------

#: Links folium adds that a map of circle markers and vector layers does not need.
_UNNEEDED = {
    "jquery",
    "bootstrap",
    "awesome_markers",
    "bootstrap_css",
    "glyphicons_css",
    "awesome_markers_font_css",
    "awesome_markers_css",
    "awesome_rotate_css",
}


def _walk(element: Any) -> Iterable[Any]:
    yield element
    for child in getattr(element, "_children", {}).values():
        yield from _walk(child)


def use_local_assets(element: folium.Map | folium.FeatureGroup) -> Any:
    """Make ``element`` and everything in it load its JS/CSS from the app (``static/vendor``), not from CDNs.

    Leaflet's links point at the vendored copy; folium's jQuery, Bootstrap, Font Awesome and awesome-markers
    links are dropped (nothing here uses them). Any other remote asset is a plugin that is not vendored yet:
    that raises ``ValueError`` naming it, rather than silently loading it from the internet.
    """
    local_js, local_css = dict(assets.js_urls()), dict(assets.css_urls())
    for node in _walk(element):
        if not isinstance(node, JSCSSMixin):
            continue
        for attr, local in (("default_js", local_js), ("default_css", local_css)):
            links: list[tuple[str, str]] = []
            for name, url in getattr(node, attr):
                if name in local:
                    links.append((name, local[name]))
                elif name in _UNNEEDED:
                    continue
                elif url.startswith(assets.VENDOR_URL):
                    links.append((name, url))
                else:
                    raise ValueError(
                        f"{type(node).__name__} loads {url!r}, which is not served by the app; add its npm package "
                        "to package.json and ui/assets.py"
                    )
            setattr(node, attr, links)  # an instance attribute: folium's class lists stay untouched
    return element


# --- the browser side -----------------------------------------------------------------------------------------

_RUNTIME_JS = r"""
(function () {
  if (window.baoyenMapkit) { return; }
  var ESC = {"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;"};
  function esc(s) { return String(s).replace(/[&<>"']/g, function (c) { return ESC[c]; }); }
  var patterns = {};
  function hatch(color) {
    if (!patterns[color]) {
      // 45° stripes, 8 px apart; each colour is shifted 2 px from the last so overlapping zones interleave
      var shift = 2 * (Object.keys(patterns).length % 4), c = document.createElement("canvas");
      c.width = 8; c.height = 8;
      var g = c.getContext("2d");
      g.strokeStyle = color; g.lineWidth = 1.3;
      g.beginPath();
      for (var k = -16; k <= 16; k += 8) { g.moveTo(k + shift, 8); g.lineTo(k + shift + 8, 0); }
      g.stroke();
      patterns[color] = g.createPattern(c, "repeat");
    }
    return patterns[color];
  }
  function styleOf(spec, f) {
    var p = f.properties || {}, s = spec.styles[p._s] || spec.styles[0], o = {};
    for (var k in s) { o[k] = s[k]; }
    if (o.hatch) { o.fillColor = hatch(o.hatch); delete o.hatch; }
    if (p._r) { o.radius = p._r; }
    return o;
  }
  function value(spec, fd, v) {
    if (typeof v === "boolean") { return esc(v ? spec.labels.yes : spec.labels.no); }
    if (fd[3] && Object.prototype.hasOwnProperty.call(fd[3], v)) { return esc(fd[3][v]); }
    var text = typeof v === "number" && !fd[4]
      ? v.toLocaleString(spec.lang === "en" ? "en-US" : "vi-VN", {maximumFractionDigits: 2}) : String(v);
    return esc(fd[2] ? text + "\u00a0" + fd[2] : text);
  }
  function tooltip(spec, f) {
    var p = f.properties, q = spec.quality[p.geom_quality];
    var h = "<b>" + esc(p.name == null ? "" : p.name) + "</b><br><span class=\"by-muted\">" + esc(spec.title);
    if (q && q[2]) { h += " \u00b7 <i>" + esc(q[0]) + "</i>"; }
    return h + "</span><span style=\"display:none\">\u27e6" + esc(spec.id) + "/" + esc(p.id) + "\u27e7</span>";
  }
  function popup(spec, f) {
    var p = f.properties, q = spec.quality[p.geom_quality], rows = "";
    spec.fields.forEach(function (fd) {
      var v = p[fd[0]];
      if (v !== undefined && v !== null && v !== "") {
        rows += "<tr><th>" + esc(fd[1]) + "</th><td>" + value(spec, fd, v) + "</td></tr>";
      }
    });
    var h = "<div class=\"by-popup\"><div class=\"by-name\">" + esc(p.name == null ? "" : p.name) + "</div>"
      + "<div class=\"by-muted\">" + esc(spec.title) + "</div>";
    if (rows) { h += "<table>" + rows + "</table>"; }
    if (q) {
      h += "<div class=\"by-q" + (q[2] ? " by-flag" : "") + "\">" + esc(spec.labels.quality) + ": <b>"
        + esc(q[0]) + "</b>" + (q[1] ? " \u2014 " + esc(q[1]) : "") + "</div>";
    }
    var targets = p.plan_targets || spec.targets;
    if (targets) {
      var titles = spec.target_titles || {};
      var named = String(targets).split(/[,;]/).map(function (id) {
        id = id.trim();
        return titles[id] ? "(" + id + ") " + titles[id] : id;
      });
      h += "<div>" + esc(spec.labels.targets) + ": " + esc(named.join("; ")) + "</div>";
    }
    if (p.source) { h += "<div class=\"by-muted\">" + esc(spec.labels.source) + ": " + esc(p.source) + "</div>"; }
    if (p._moved) { h += "<div class=\"by-q by-flag\">" + esc(spec.labels.moved.replace("{m}", p._moved)) + "</div>"; }
    return h + "</div>";
  }
  function table(spec, f) {
    var p = f.properties || {}, rows = "";
    spec.fields.forEach(function (fd) {
      var v = p[fd[0]];
      rows += "<tr><th>" + esc(fd[1]) + "</th><td>" + esc(v == null ? "" : v) + "</td></tr>";
    });
    return "<table class=\"by-tip\">" + rows + "</table>";
  }
  function features(spec, data, parent) {
    var interactive = spec.fields.length > 0;
    var g = L.geoJSON(data, {
      interactive: interactive,
      pointToLayer: function (f, ll) {
        var o = styleOf(spec, f);
        o.interactive = interactive;
        return L.circleMarker(ll, o);
      },
      style: function (f) { return styleOf(spec, f); },
      onEachFeature: function (f, l) {
        // table() builds the tooltip with esc(): every value is shown as text, never read as HTML
        if (interactive) { l.bindTooltip(table(spec, f), {sticky: true}); }
      }
    });
    return g.addTo(parent);
  }
  function layer(spec, data, parent) {
    var g = L.geoJSON(data, {
      pointToLayer: function (f, ll) { return L.circleMarker(ll, styleOf(spec, f)); },
      style: function (f) { return styleOf(spec, f); },
      onEachFeature: function (f, l) {
        l.byLayer = spec.id;
        l.byFeature = f.properties.id;
        l.bindTooltip(tooltip(spec, f), {sticky: true, direction: "top"});
        l.bindPopup(function () { return popup(spec, f); }, {maxWidth: 360});
      }
    });
    g.byLayer = spec.id;
    return shown(spec, g, parent);
  }
  function highlight(parent, data, name) {
    var g = L.geoJSON(data, {
      interactive: false,
      pointToLayer: function (f, ll) { return L.circleMarker(ll, {radius: 16}); },
      style: function () { return {color: "#e31a1c", weight: 4, fill: false, interactive: false}; }
    }).addTo(parent);
    var b = g.getBounds(), at = data.features[0].properties._at;
    L.tooltip({permanent: true, direction: "top", className: "by-hl", offset: [0, -14]})
      .setLatLng(at ? L.latLng(at[0], at[1]) : b.getCenter()).setContent(esc(name)).addTo(parent);
  }
  function onMap(target, fn) {
    if (target instanceof L.Map) { fn(target); } else { target.on("add", function () { fn(target._map); }); }
  }
  function labels(target, spec) {
    onMap(target, function (map) {
      var zc = map && map.zoomControl;
      if (!map) { return; }
      map.byLabels = spec;
      if (zc) {
        [[zc._zoomInButton, spec.zoom[0]], [zc._zoomOutButton, spec.zoom[1]]].forEach(function (bt) {
          bt[0].title = bt[1]; bt[0].setAttribute("aria-label", bt[1]);
        });
      }
      if (map.byCursor) { map.byCursor.refresh(); }
      if (map.byTileNote) { map.byTileNote.refresh(); }
      if (map.byPrint) { map.byPrint.refresh(); }
      if (map.bySwitch) { map.bySwitch.refresh(); }
    });
  }
  // numbers as geo.numbers writes them: the marks come from Python (spec.marks = [group, decimal])
  function num(v, d, marks) {
    var parts = Math.abs(v).toFixed(d).split("."), i = parts[0].replace(/\B(?=(\d{3})+(?!\d))/g, marks[0]);
    return (v < 0 ? "-" : "") + i + (parts.length > 1 ? marks[1] + parts[1] : "");
  }
  // the cursor's position in VN-2000 (X = northing, Y = easting, as Vietnamese tables write them) and degrees;
  // the EPSG:9208 definition (with its EPSG:6960 datum shift) is pyproj's, given by ui.mapkit
  function cursor(map, def) {
    if (map.byCursor || typeof proj4 === "undefined") { return; }
    var to9208 = proj4("EPSG:4326", def), last = null;
    var C = L.Control.extend({
      options: {position: "bottomleft"},
      onAdd: function () {
        this._div = L.DomUtil.create("div", "by-cursor leaflet-control");
        L.DomEvent.disableClickPropagation(this._div);
        return this._div;
      },
      refresh: function () {
        var s = map.byLabels, d = this._div;
        if (!s || !d) { return; }
        if (!last) { d.innerHTML = "<span class=\"by-muted\">" + esc(s.cursor.hint) + "</span>"; return; }
        var en = to9208.forward([last.lng, last.lat]);
        d.dataset.x = en[1]; d.dataset.y = en[0]; d.dataset.lat = last.lat; d.dataset.lng = last.lng;
        d.innerHTML = "<b>" + esc(s.cursor.crs) + "</b> X = <span class=\"by-x\">" + esc(num(en[1], 1, s.marks))
          + "</span> m · Y = <span class=\"by-y\">" + esc(num(en[0], 1, s.marks)) + "</span> m<br>"
          + esc(s.cursor.lat) + " <span class=\"by-lat\">" + esc(num(last.lat, 6, s.marks)) + "</span>° · "
          + esc(s.cursor.lng) + " <span class=\"by-lng\">" + esc(num(last.lng, 6, s.marks)) + "</span>°";
      }
    });
    map.byCursor = new C().addTo(map);
    map.on("mousemove", function (e) { last = e.latlng; map.byCursor.refresh(); });
    map.on("mouseout", function () { last = null; map.byCursor.refresh(); });
    map.byCursor.refresh();
  }
  // a visible note when a tile basemap cannot load (offline): the vector layers stay, the note says why no tiles
  function tileNote(map) {
    var failed = 0, tiles = 0;
    var N = L.Control.extend({
      options: {position: "topright"},
      onAdd: function () { this._div = L.DomUtil.create("div", "by-tilenote leaflet-control"); return this._div; },
      refresh: function () {
        var s = map.byLabels, d = this._div;
        if (!d) { return; }
        d.style.display = failed && tiles ? "block" : "none";
        d.textContent = s ? s.tiles : "";
      }
    });
    map.byTileNote = new N().addTo(map);
    map.on("layeradd", function (e) {
      if (e.layer instanceof L.TileLayer) {
        tiles += 1;
        e.layer.on("tileerror", function () { failed += 1; map.byTileNote.refresh(); });
      }
    });
    map.on("layerremove", function (e) {
      if (e.layer instanceof L.TileLayer) { tiles -= 1; if (!tiles) { failed = 0; } map.byTileNote.refresh(); }
    });
    map.byTileNote.refresh();
  }
  // the print frame: the view as it is when the button is pressed, sent to the page with streamlit-folium's own
  // value (so the page learns the bounds without a rerun on every pan)
  function printButton(map) {
    var P = L.Control.extend({
      options: {position: "topleft"},
      onAdd: function () {
        var box = L.DomUtil.create("div", "leaflet-bar leaflet-control by-print");
        this._a = L.DomUtil.create("a", "", box);
        this._a.href = "#"; this._a.setAttribute("role", "button");
        L.DomEvent.disableClickPropagation(box);
        L.DomEvent.on(this._a, "click", function (ev) {
          L.DomEvent.preventDefault(ev);
          var b = map.getBounds(), g = window.__GLOBAL_DATA__ || {}, v = {};
          Object.keys(g.previous_data || {}).forEach(function (k) { v[k] = g.previous_data[k]; });
          v.print_view = {south: b.getSouth(), west: b.getWest(), north: b.getNorth(), east: b.getEast(),
                          zoom: map.getZoom(), at: Date.now(), hidden: hiddenIds()};
          if (window.Streamlit) { window.Streamlit.setComponentValue(v); }
        });
        return box;
      },
      refresh: function () {
        var s = map.byLabels;
        if (s && this._a) {
          this._a.textContent = s.print_short; this._a.title = s.print; this._a.setAttribute("aria-label", s.print);
        }
      }
    });
    map.byPrint = new P().addTo(map);
    map.byPrint.refresh();
  }
  function controls(map, spec) {
    L.control.scale({imperial: false, metric: true, maxWidth: 160}).addTo(map);
    cursor(map, spec.proj);
    tileNote(map);
    if (spec.print) { printButton(map); }
  }
  // names written on the map (communes, lots): permanent, non-interactive tooltips whose text is esc()-aped
  function names(parent, items, cls) {
    items.forEach(function (it) {
      L.tooltip({permanent: true, direction: "center", className: "by-label " + cls, interactive: false})
        .setLatLng(L.latLng(it[0], it[1])).setContent(esc(it[2])).addTo(parent);
    });
  }
  // co-located points drawn apart: moves = {"layer/id": [lat, lon, metres moved]} (computed by ui.mapkit)
  function spread(parent, moves) {
    function visit(l) {
      if (l.byFeature !== undefined && l.setLatLng) {
        var m = moves[l.byLayer + "/" + l.byFeature];
        if (m) { l.setLatLng(L.latLng(m[0], m[1])); l.feature.properties._moved = m[2]; }
      } else if (l.eachLayer) { l.eachLayer(visit); }
    }
    parent.eachLayer(visit);
  }
  // --- the map's own layer switch: a drawn layer shown or hidden in the browser at once, without a rerun of the
  // page (the sidebar's switches choose which layers the page sends; this one only what is on screen). A layer hidden
  // here stays hidden when the page sends it again (a rerun, a new version); its title is text, never HTML.
  var switches = {}, hiddenLayers = {}, switchSeq = 0;
  function shown(spec, l, parent) {
    var known = switches[spec.id];
    switches[spec.id] = {title: spec.title, layer: l, parent: parent, seq: known ? known.seq : switchSeq++};
    if (!hiddenLayers[spec.id]) { parent.addLayer(l); }
    onMap(parent, layerSwitch);
    if (parent._map) { layerSwitch(parent._map); }
    return l;
  }
  function hiddenIds() { return Object.keys(hiddenLayers).filter(function (id) { return hiddenLayers[id]; }); }
  function layerSwitch(map) {
    if (!map) { return; }
    if (!map.bySwitch) {
      var S = L.Control.extend({
        options: {position: "topright"},
        onAdd: function () {
          var d = this._div = L.DomUtil.create("details", "by-switch leaflet-control");
          this._head = L.DomUtil.create("summary", "", d);
          this._list = L.DomUtil.create("div", "by-switch-list", d);
          L.DomEvent.disableClickPropagation(d);
          L.DomEvent.disableScrollPropagation(d);
          return d;
        },
        refresh: function () {
          var list = this._list, s = map.byLabels || {};
          // the layers of the groups on this map now (a group the page replaced took its layers with it)
          var ids = Object.keys(switches).filter(function (id) {
            var e = switches[id];
            return e.parent === map || e.parent._map === map;
          }).sort(function (a, b) { return switches[a].seq - switches[b].seq; });
          this._head.textContent = s.layers || "";
          this._div.style.display = ids.length ? "block" : "none";
          list.textContent = "";
          ids.forEach(function (id) {
            var row = L.DomUtil.create("label", "by-switch-row", list);
            var box = L.DomUtil.create("input", "", row);
            box.type = "checkbox"; box.checked = !hiddenLayers[id]; box.setAttribute("data-layer", id);
            L.DomUtil.create("span", "", row).textContent = switches[id].title;
            L.DomEvent.on(box, "change", function () {
              var e = switches[id];
              hiddenLayers[id] = !box.checked;
              if (box.checked) { e.parent.addLayer(e.layer); } else { e.parent.removeLayer(e.layer); }
            });
          });
        }
      });
      map.bySwitch = new S().addTo(map);
    }
    clearTimeout(map.bySwitchTimer);  // once per group: after every layer of it has been registered
    map.bySwitchTimer = setTimeout(function () { map.bySwitch.refresh(); }, 0);
  }
  // --- large layers drawn from the app's vector tiles (protomaps-leaflet reads the PMTiles file by ranges) ---
  function dash(s) { return s ? String(s).split(/[ ,]+/).map(Number) : []; }
  function tileKey(spec, p) {
    return spec.keys.map(function (c) { return p[c] == null ? "" : String(p[c]); }).join("\u001f");
  }
  // one symbolizer for every feature: the style is the one the GeoJSON layers use (styleOf's options), picked by
  // the feature's style fields as the tiles carry them (spec.lookup: key -> index into spec.styles)
  function tileSymbolizer(spec) {
    return {
      before: function () {},
      draw: function (ctx, geom, z, f) {
        var i = spec.lookup[tileKey(spec, f.props)], s = spec.styles[i === undefined ? 0 : i];
        var polygon = f.geomType === 3;
        ctx.beginPath();
        geom.forEach(function (ring) {
          ring.forEach(function (pt, j) { if (j) { ctx.lineTo(pt.x, pt.y); } else { ctx.moveTo(pt.x, pt.y); } });
          if (polygon) { ctx.closePath(); }
        });
        if (polygon && s.fill !== false && (s.fillColor || s.hatch)) {
          ctx.globalAlpha = s.fillOpacity === undefined ? 0.2 : s.fillOpacity;
          ctx.fillStyle = s.hatch ? hatch(s.hatch) : s.fillColor;
          ctx.fill("evenodd");
        }
        if (s.stroke !== false) {
          ctx.globalAlpha = s.opacity === undefined ? 1 : s.opacity;
          ctx.strokeStyle = s.color; ctx.lineWidth = s.weight === undefined ? 1 : s.weight;
          ctx.setLineDash(dash(s.dashArray));
          ctx.stroke();
          ctx.setLineDash([]);
        }
        ctx.globalAlpha = 1;
      }
    };
  }
  // a click on a tiled feature sends ⟦layer@lat,lon,zoom⟧ to the page as streamlit-folium's own clicks send a
  // tooltip's text; the page finds the feature there in the store (feature_at) and sends its popup back. A GeoJSON
  // point or line under the cursor keeps the click; over a GeoJSON polygon (a commune) the tiled plot wins. It runs on
  // "preclick": a polygon's popup stops the click itself before the map hears it.
  function tileClick(map) {
    if (map.byTiledClick) { return; }
    map.byTiled = map.byTiled || [];
    map.byTiledClick = function (e) {
      var ref = null;
      function at(id) {  // the tiles carry no id: the page finds the feature at this place in the store
        return "\u27e6" + id + "@" + e.latlng.lat.toFixed(7) + "," + e.latlng.lng.toFixed(7) + ","
          + map.getZoom().toFixed(2) + "\u27e7";
      }
      Object.keys(tileLayers).forEach(function (u) {  // a layer drawn as its overview image: painted here?
        var l = tileLayers[u], o = l.byOverview;
        if (!ref && o && o._map === map && overviewHit(map, o, e.latlng, 6)) { ref = at(l.bySpec.id); }
      });
      for (var k = map.byTiled.length - 1; k >= 0 && !ref; k--) {
        var t = map.byTiled[k], hits = (t.queryTileFeaturesDebug(e.latlng.lng, e.latlng.lat, 6).get("") || [])
          .filter(function (h) { return h.layerName === t.bySpec.tile_layer; });
        if (hits.length) { ref = at(t.bySpec.id); }
      }
      if (!ref) { return; }
      var taken = false;
      map.eachLayer(function (l) {
        if (!taken && l.feature && l._containsPoint && !(l instanceof L.Polygon) && l.options.interactive !== false) {
          taken = l._containsPoint(e.layerPoint);
        }
      });
      if (taken) { return; }
      setTimeout(function () {  // after the click's own handlers (a polygon's popup, streamlit-folium's value)
        map.closePopup();
        var g = window.__GLOBAL_DATA__ || {}, v = {};
        Object.keys(g.previous_data || {}).forEach(function (key) { v[key] = g.previous_data[key]; });
        v.last_object_clicked_tooltip = ref;
        g.last_object_clicked_tooltip = ref;  // streamlit-folium's next value carries this click, not an older one
        g.previous_data = v;
        map.byLastTiledRef = ref;
        if (window.Streamlit) { window.Streamlit.setComponentValue(v); }
      }, 0);
    };
    map.on("preclick", map.byTiledClick);
  }
  function zoomNote(map) {
    if (map.byZoomNote) { return map.byZoomNote; }
    var Z = L.Control.extend({
      options: {position: "topright"},
      onAdd: function () {
        this._div = L.DomUtil.create("div", "by-tilenote by-zoomnote leaflet-control");
        return this._div;
      },
      refresh: function () {
        var need = (map.byTiled || []).filter(function (t) { return map.getZoom() < t.bySpec.minzoom; });
        this._div.style.display = need.length ? "block" : "none";
        this._div.textContent = need.map(function (t) { return t.bySpec.zoom_note; }).join(" ");
      }
    });
    map.byZoomNote = new Z().addTo(map);
    map.on("zoomend", function () { map.byZoomNote.refresh(); });
    return map.byZoomNote;
  }
  // one protomaps layer per tile file and page, kept across the page's reruns: a layer switched off and on again,
  // or a new language, reuses its decoded tiles instead of fetching and decoding them again. It sits in a holder
  // (what the page's group and the map's switch add and remove) with its overview image, if the file has one: the
  // image below the overview's zoom (one picture of the district's 100,000 plots, instead of a second of decoding
  // and drawing them), the vector tiles from that zoom on
  var tileLayers = {};
  function overviewPane(map) {
    if (!map.getPane("byOverview")) { map.createPane("byOverview").style.zIndex = 250; }  // over tiles, under vectors
    return "byOverview";
  }
  function pickTiled(layer) {
    var holder = layer.byHolder, map = holder._map, o = layer.byOverview;
    if (!map) { return; }
    // below the overview's zoom, and wherever the tiles hold nothing yet (a province-sized layer's overview is made
    // at a lower zoom than the tiles' first), and at every zoom while the tile file is still being built
    var spec = layer.bySpec;
    var over = !!o && (spec.pending || map.getZoom() < Math.max(spec.overview.below, spec.minzoom));
    if (over) {
      if (holder.hasLayer(layer)) { holder.removeLayer(layer); }
      if (!holder.hasLayer(o)) { holder.addLayer(o); }
    } else {
      if (o && holder.hasLayer(o)) { holder.removeLayer(o); }
      if (!holder.hasLayer(layer)) { holder.addLayer(layer); }
    }
  }
  // the overview's pixels, read once it has loaded: a click on the image asks whether it is painted there
  function overviewImage(ov) {
    var img = L.imageOverlay(ov.url, ov.bounds, {interactive: false, className: "by-overview", pane: "byOverview"});
    img.byUrl = ov.url;
    img.on("load", function () {
      var el = img.getElement(), c = document.createElement("canvas");
      c.width = el.naturalWidth; c.height = el.naturalHeight;
      var g = c.getContext("2d");
      g.drawImage(el, 0, 0);
      img.byPixels = g.getImageData(0, 0, c.width, c.height);
    });
    return img;
  }
  function overviewHit(map, img, latlng, radius) {
    var d = img.byPixels, b = img.getBounds();
    if (!d || !img._map) { return false; }
    var nw = map.latLngToLayerPoint(b.getNorthWest()), se = map.latLngToLayerPoint(b.getSouthEast());
    var p = map.latLngToLayerPoint(latlng), sx = d.width / (se.x - nw.x), sy = d.height / (se.y - nw.y);
    var x = Math.floor((p.x - nw.x) * sx), y = Math.floor((p.y - nw.y) * sy);
    var rx = Math.ceil(radius * sx), ry = Math.ceil(radius * sy);
    for (var j = Math.max(0, y - ry); j <= Math.min(d.height - 1, y + ry); j++) {
      for (var i = Math.max(0, x - rx); i <= Math.min(d.width - 1, x + rx); i++) {
        if (d.data[4 * (j * d.width + i) + 3] > 0) { return true; }
      }
    }
    return false;
  }
  function tiled(spec, url, parent) {
    var layer = tileLayers[url];
    if (!layer) {
      Object.keys(tileLayers).forEach(function (u) {  // an older version's file: forget it
        if (tileLayers[u].byLayer === spec.id) { delete tileLayers[u]; }
      });
      layer = tileLayers[url] = protomapsL.leafletLayer({
        url: url, maxDataZoom: spec.maxzoom, attribution: "", labelRules: [], zIndex: 5, paintRules: []
      });
      layer.byLayer = spec.id; layer.byUrl = url;
      layer.on("add", function () {
        var map = layer.byMap = layer._map;
        if (map.byTiled.indexOf(layer) < 0) { map.byTiled.push(layer); }
        zoomNote(map).refresh();
      });
      layer.on("remove", function () {
        var map = layer.byMap, list = (map && map.byTiled) || [];
        if (list.indexOf(layer) >= 0) { list.splice(list.indexOf(layer), 1); }
        if (map && map.byZoomNote) { map.byZoomNote.refresh(); }
      });
      var holder = layer.byHolder = L.layerGroup();
      layer.byPick = function () { pickTiled(layer); };
      holder.on("add", function () {
        var map = holder.byMap = holder._map;
        map.byTiled = map.byTiled || [];
        tileClick(map);
        overviewPane(map);
        map.on("zoomend", layer.byPick);
        layer.byPick();
      });
      holder.on("remove", function () {
        if (holder.byMap) { holder.byMap.off("zoomend", layer.byPick); }
        holder.clearLayers();
      });
    }
    layer.bySpec = spec;
    layer.paintRules = [{dataLayer: spec.tile_layer, symbolizer: tileSymbolizer(spec)}];
    if (spec.overview && (!layer.byOverview || layer.byOverview.byUrl !== spec.overview.url)) {
      layer.byOverview = overviewImage(spec.overview);
    }
    // out of the group the page replaces, or that group's removal would take it off the map
    if (layer.byParent && layer.byParent !== parent) { layer.byParent.removeLayer(layer.byHolder); }
    layer.byParent = parent;
    var out = shown(spec, layer.byHolder, parent);
    layer.byPick();
    return out;
  }
  // for checks (tests, benchmarks): what of a tiled layer is on the map, whether it is drawn, and whether its file
  // was still being built when the page drew it (pending: the overview at every zoom, no tile asked for)
  function tiledState(id) {
    var out = [];
    Object.keys(tileLayers).forEach(function (u) {
      var l = tileLayers[u], o = l.byOverview;
      if (l.byLayer !== id || !l.byHolder._map) { return; }
      if (o && o._map) {
        var d = o.byPixels, ink = 0;  // painted pixels, counted when asked
        for (var i = 3; d && i < d.data.length; i += 4) { if (d.data[i] > 0) { ink++; } }
        out.push({url: u, overview: o.byUrl, ready: !!d, ink: ink, pending: !!l.bySpec.pending});
      } else if (l._map) {
        out.push({url: u, overview: null, ready: !l._loading && Object.keys(l._tiles).length > 0, ink: null,
                  pending: !!l.bySpec.pending});
      } else {
        out.push({url: u, overview: null, ready: false, ink: null, pending: !!l.bySpec.pending});
      }
    });
    return out;
  }
  // a tiled feature the page read from the store: outlined, with its popup (built by popup() from the store's row)
  function selected(spec, data, at, parent) {
    var f = data.features[0];
    L.geoJSON(data, {
      interactive: false,
      style: function () { return {color: "#e31a1c", weight: 3, fill: false, interactive: false}; }
    }).addTo(parent);
    parent.addLayer(L.popup({maxWidth: 360, autoPan: false, className: "by-selected"})
      .setLatLng(L.latLng(at[0], at[1])).setContent(popup(spec, f)));
  }
  window.baoyenMapkit = {esc: esc, hatch: hatch, style: styleOf, tooltip: tooltip, popup: popup, layer: layer,
                         features: features, table: table, highlight: highlight, labels: labels, num: num,
                         controls: controls, names: names, spread: spread, tiled: tiled, selected: selected,
                         tiledState: tiledState};
})();
"""

_CSS = """<style>
.leaflet-container { font-family: "Source Sans Pro", "Segoe UI", Roboto, Arial, sans-serif; font-size: 0.85rem; }
.by-popup { font-size: 0.82rem; line-height: 1.35; }
.by-popup .by-name { font-weight: 600; font-size: 0.95rem; }
.by-popup table { border-collapse: collapse; margin: 4px 0; }
.by-popup th { text-align: left; font-weight: normal; color: #555; padding: 1px 8px 1px 0; vertical-align: top; }
.by-popup td { padding: 1px 0; }
.by-muted { color: #666; }
.by-q { margin: 3px 0; }
.by-flag { color: #8a4b00; }
.leaflet-tooltip.by-hl { font-weight: 600; border: 2px solid #e31a1c; }
.by-tip { border-collapse: collapse; font-size: 0.82rem; }
.by-tip th { text-align: left; font-weight: normal; color: #555; padding: 1px 8px 1px 0; }
.by-cursor { background: rgba(255,255,255,0.85); padding: 2px 6px; border-radius: 3px; font-size: 0.78rem;
  line-height: 1.3; font-variant-numeric: tabular-nums; }
.by-tilenote { background: #fff3cd; color: #664d03; border: 1px solid #e0c36c; padding: 4px 8px; border-radius: 3px;
  max-width: 280px; font-size: 0.8rem; }
.by-switch { background: rgba(255,255,255,0.92); padding: 3px 8px; border-radius: 4px; max-width: 300px;
  box-shadow: 0 1px 4px rgba(0,0,0,0.3); font-size: 0.8rem; }
.by-switch summary { cursor: pointer; font-weight: 600; }
.by-switch-list { max-height: 320px; overflow-y: auto; margin-top: 3px; }
.by-switch-row { display: flex; gap: 5px; align-items: baseline; margin: 2px 0; cursor: pointer; }
.by-print a { width: auto; min-width: 30px; padding: 0 5px; font-size: 12px; font-weight: 600; cursor: pointer; }
.leaflet-tooltip.by-label { background: transparent; border: 0; box-shadow: none; padding: 0; font-weight: 600;
  color: #333; text-shadow: 0 0 3px #fff, 0 0 3px #fff, 0 0 2px #fff; white-space: nowrap; }
.leaflet-tooltip.by-label.by-commune { font-size: 0.78rem; color: #444; }
.leaflet-tooltip.by-label.by-lot { font-size: 0.8rem; color: #111; }
.leaflet-tooltip.by-label::before { display: none; }
</style>"""


class _Text(Element):
    """Text put into the page as it is: folium would compile an element's rendered script as a new template."""

    def __init__(self, text: str) -> None:
        super().__init__()
        self._text = text

    def render(self, **kwargs: Any) -> str:
        return self._text


class _ScriptOnly(MacroElement):
    """A macro element with only a ``script`` macro, rendered once and never re-read as a template.

    folium's ``MacroElement.render`` wraps the rendered script in ``Element(text)``, which compiles the text
    with jinja: slow for a megabyte of GeoJSON, and unsafe, since ``{{ ... }}`` in a feature's name would run.
    """

    def render(self, **kwargs: Any) -> None:  # type: ignore[override]  # MacroElement.render returns None too
        script = self._template.module.__dict__["script"](self, kwargs)
        figure = cast(Figure, self.get_root())
        figure.script.add_child(_Text(script), name=self.get_name())


class _Runtime(_ScriptOnly):
    """The map's own script: ``window.baoyenMapkit`` (styles, hatch patterns, popups, tooltips)."""

    _template = Template("{% macro script(this, kwargs) %}" + _RUNTIME_JS + "{% endmacro %}")

    def __init__(self) -> None:
        super().__init__()
        self._name = "BaoyenRuntime"


class _PlanLayer(_ScriptOnly):
    """One catalogue layer: compact GeoJSON text plus a small spec (styles, labels) for the browser."""

    _template = Template(
        """{% macro script(this, kwargs) %}
var {{ this.get_name() }} = window.baoyenMapkit.layer({{ this.spec }}, {{ this.data }}, {{ this._parent.get_name() }});
{% endmacro %}"""
    )

    def __init__(self, spec_json: str, data_json: str) -> None:
        super().__init__()
        self._name = "PlanLayer"
        self.spec = spec_json
        self.data = data_json


class _Features(_ScriptOnly):
    """A page's own features: GeoJSON text, styles by index and the (column, label) pairs of their tooltip."""

    _template = Template(
        """{% macro script(this, kwargs) %}
var {{ this.get_name() }} = window.baoyenMapkit.features(
  {{ this.spec }}, {{ this.data }}, {{ this._parent.get_name() }});
{% endmacro %}"""
    )

    def __init__(self, spec_json: str, data_json: str) -> None:
        super().__init__()
        self._name = "Features"
        self.spec = spec_json
        self.data = data_json


class _TiledLayer(_ScriptOnly):
    """One large catalogue layer drawn from its PMTiles file: the spec (styles, style keys, labels) and the URL."""

    _template = Template(
        """{% macro script(this, kwargs) %}
var {{ this.get_name() }} = window.baoyenMapkit.tiled({{ this.spec }}, {{ this.url }}, {{ this._parent.get_name() }});
{% endmacro %}"""
    )

    def __init__(self, spec_json: str, url: str) -> None:
        super().__init__()
        self._name = "TiledLayer"
        self.spec = spec_json
        self.url = js_json(url)


class _Selected(_ScriptOnly):
    """A tiled layer's feature read from the store: its outline and its popup."""

    _template = Template(
        """{% macro script(this, kwargs) %}
window.baoyenMapkit.selected({{ this.spec }}, {{ this.data }}, {{ this.at }}, {{ this._parent.get_name() }});
{% endmacro %}"""
    )

    def __init__(self, spec_json: str, data_json: str, at: tuple[float, float]) -> None:
        super().__init__()
        self._name = "Selected"
        self.spec = spec_json
        self.data = data_json
        self.at = js_json(list(at))


class _TileRenderer(JSCSSMixin, MacroElement):
    """protomaps-leaflet's script on the map (served by the app): what :func:`add_tiled_layer` draws with."""

    def __init__(self) -> None:
        super().__init__()
        self._name = "TileRenderer"
        self.default_js = [(name, f"{assets.VENDOR_URL}/{path}") for name, path in assets.PROTOMAPS.js]


class _Highlight(_ScriptOnly):
    _template = Template(
        """{% macro script(this, kwargs) %}
window.baoyenMapkit.highlight({{ this._parent.get_name() }}, {{ this.data }}, {{ this.label }});
{% endmacro %}"""
    )

    def __init__(self, data_json: str, label: str) -> None:
        super().__init__()
        self._name = "Highlight"
        self.data = data_json
        self.label = js_json(label)


def map_labels(lang: str) -> dict[str, Any]:
    """The map's own labels in ``lang``: zoom buttons, the cursor box, the tile note, the print button, numbers."""
    dec = decimal_mark(lang)
    return {
        "zoom": [t("map.zoom_in", lang), t("map.zoom_out", lang)],
        "cursor": {
            "crs": t("map.cursor.crs", lang),
            "lat": t("map.cursor.lat", lang),
            "lng": t("map.cursor.lng", lang),
            "hint": t("map.cursor.hint", lang),
        },
        "tiles": t("map.tiles.failed", lang),
        "print": t("map.print.button", lang),
        "print_short": t("map.print.short", lang),
        "layers": t("map.switch", lang),
        "marks": ["." if dec == "," else ",", dec],
    }


class _MapLabels(_ScriptOnly):
    _template = Template(
        """{% macro script(this, kwargs) %}
window.baoyenMapkit.labels({{ this._parent.get_name() }}, {{ this.spec }});
{% endmacro %}"""
    )

    def __init__(self, lang: str) -> None:
        super().__init__()
        self._name = "MapLabels"
        self.spec = js_json(map_labels(lang))


@lru_cache(maxsize=1)
def work_crs_proj4() -> str:
    """EPSG:9208 as a PROJ string for proj4js, with PROJ's datum shift to WGS 84 (EPSG:6960) as ``+towgs84``.

    Both come from PROJ's database through pyproj (a BoundCRS of the working CRS and the transformation
    :mod:`geo.crs` uses), never from a hand-written string: the browser's cursor position then agrees with
    :func:`geo.crs.transformer` to well under a millimetre.
    """
    bound = BoundCRS(
        source_crs=get_crs(WORK_EPSG),
        target_crs=get_crs(DISPLAY_EPSG),
        transformation=CoordinateOperation.from_epsg(DATUM_SHIFT_EPSG).to_json_dict(),
    )
    return str(Proj(bound).srs)  # Proj.srs: the string without CRS.to_proj4's lossy-conversion warning


class _Controls(JSCSSMixin, _ScriptOnly):
    """The map's own controls: a metric-only scale bar, the cursor position (proj4js), the tile note, print."""

    _template = Template(
        """{% macro script(this, kwargs) %}
window.baoyenMapkit.controls({{ this._parent.get_name() }}, {{ this.spec }});
{% endmacro %}"""
    )

    def __init__(self, *, print_button: bool) -> None:
        super().__init__()
        self.default_js = [(name, f"{assets.VENDOR_URL}/{path}") for name, path in assets.PROJ4.js]
        self._name = "MapControls"
        self.spec = js_json({"proj": work_crs_proj4(), "print": print_button})


class _Names(_ScriptOnly):
    _template = Template(
        """{% macro script(this, kwargs) %}
window.baoyenMapkit.names({{ this._parent.get_name() }}, {{ this.items }}, {{ this.cls }});
{% endmacro %}"""
    )

    def __init__(self, items_json: str, cls: str) -> None:
        super().__init__()
        self._name = "Names"
        self.items = items_json
        self.cls = js_json(cls)


class _Spread(_ScriptOnly):
    _template = Template(
        """{% macro script(this, kwargs) %}
window.baoyenMapkit.spread({{ this._parent.get_name() }}, {{ this.moves }});
{% endmacro %}"""
    )

    def __init__(self, moves_json: str) -> None:
        super().__init__()
        self._name = "Spread"
        self.moves = moves_json


class DrawLabels(MacroElement):
    """Leaflet.draw's labels in the page's language (``L.drawLocal`` path -> text), and its buttons' titles.

    Put in a feature group, so a language switch replaces this script only, never the map (drawings stay).
    """

    _template = Template(
        """{% macro script(this, kwargs) %}
(function (labels) {
  Object.keys(labels).forEach(function (path) {
    var keys = path.split("."), o = L.drawLocal;
    for (var i = 0; i < keys.length - 1; i++) { o = o[keys[i]] = o[keys[i]] || {}; }
    o[keys[keys.length - 1]] = labels[path];
  });
  var d = L.drawLocal.draw.toolbar.buttons, e = L.drawLocal.edit.toolbar.buttons;
  function title(cls, on, off) {
    document.querySelectorAll(cls).forEach(function (a) {
      a.title = a.classList.contains("leaflet-disabled") ? off : on;
      var sr = a.querySelector(".sr-only");  // the button's text for screen readers (and page text) too
      if (sr) { sr.textContent = on; }
    });
  }
  title(".leaflet-draw-draw-polyline", d.polyline, d.polyline);
  title(".leaflet-draw-draw-polygon", d.polygon, d.polygon);
  title(".leaflet-draw-draw-rectangle", d.rectangle, d.rectangle);
  title(".leaflet-draw-edit-edit", e.edit, e.editDisabled);
  title(".leaflet-draw-edit-remove", e.remove, e.removeDisabled);
})({{ this.draw_labels|tojson }});
{% endmacro %}"""
    )

    def __init__(self, labels: Mapping[str, str]) -> None:
        super().__init__()
        self._name = "DrawLabels"
        self.draw_labels = dict(labels)


# --- maps -----------------------------------------------------------------------------------------------------


def tile_layer(basemap: str) -> folium.TileLayer | None:
    """The tile layer for a basemap key of :data:`BASEMAPS` (None for "none"); unknown keys raise KeyError."""
    spec = BASEMAPS[basemap]
    if spec is None:
        return None
    url, attribution, max_zoom = spec
    return folium.TileLayer(tiles=url, attr=attribution, name=basemap, max_zoom=max_zoom, max_native_zoom=max_zoom)


def context_group(*, basemap: str = "none", lang: str = "vi") -> folium.FeatureGroup:
    """A feature group with the basemap tiles and the map's labels in ``lang``.

    For a streamlit-folium page that keeps one stable map: pass this first in ``feature_group_to_add`` so that
    changing the basemap or the language replaces only this group, never the map (the view is kept).
    """
    group = folium.FeatureGroup(name="context", control=False)
    tiles = tile_layer(basemap)
    if tiles is not None:
        tiles.add_to(group)
    _MapLabels(lang).add_to(group)
    return group


def base_map(
    *,
    center: tuple[float, float] | None = None,
    zoom: int | None = None,
    basemap: str = "none",
    lang: str | None = "vi",
    print_button: bool = False,
) -> folium.Map:
    """A folium map of Bảo Yên that loads only the app's own Leaflet (no CDN) and draws vectors on a canvas.

    Every such map has a metric-only scale bar, the cursor's position in VN-2000 (X northing, Y easting) and in
    degrees, and a visible note when a tile basemap fails to load (offline).

    Parameters
    ----------
    center, zoom
        First view (lat, lon) and zoom; the whole district when both are None.
    basemap
        "none" (vector layers only; the default, and what works offline), "osm" or "satellite".
    lang
        Language of the map's own labels (zoom buttons, cursor box); None leaves them to a :func:`context_group`.
    print_button
        Add the button that sends the current view to the page as ``print_view`` (south, west, north, east,
        zoom) in streamlit-folium's returned value: the frame of a printed map (:mod:`ui.print_map`).
    """
    if basemap not in BASEMAPS:
        raise KeyError(f"unknown basemap {basemap!r}; choose one of {', '.join(BASEMAPS)}")
    m = folium.Map(
        location=list(center or DISTRICT_CENTER),
        zoom_start=zoom or 11,
        tiles=None,
        prefer_canvas=True,
        control_scale=False,  # folium's shows miles too: the map's own scale bar is metric only (_Controls)
        zoom_snap=0.25,
    )
    cast(Figure, m.get_root()).header.add_child(Element(_CSS), name="baoyen_css")
    _Runtime().add_to(m)
    _Controls(print_button=print_button).add_to(m)
    tiles = tile_layer(basemap)
    if tiles is not None:
        tiles.add_to(m)
    if lang is not None:
        _MapLabels(lang).add_to(m)
    if center is None and zoom is None:
        m.fit_bounds([list(DISTRICT_BOUNDS[0]), list(DISTRICT_BOUNDS[1])])
    return use_local_assets(m)


# --- display data ---------------------------------------------------------------------------------------------


def display_frame(
    frame: gpd.GeoDataFrame, *, simplify_m: float = SIMPLIFY_M, decimals: int = DECIMALS
) -> gpd.GeoDataFrame:
    """The located features of ``frame`` in EPSG:4326, simplified and rounded for display only.

    Rows without geometry (``geom_quality`` "unlocated") are dropped; Z is dropped; lines and polygons are
    simplified with a tolerance of ``simplify_m`` metres (topology preserved) and every coordinate is rounded to
    ``decimals`` decimals (5 ≈ 1.1 m). Never use the result for measurements.
    """
    shown = to_display(frame, "the layer")
    geoms = shown.geometry.array
    keep = ~(shapely.is_missing(geoms) | shapely.is_empty(geoms))
    shown = shown.loc[keep].copy()
    geoms = shapely.force_2d(shown.geometry.array)
    if simplify_m > 0:
        geoms = shapely.simplify(geoms, simplify_m / _M_PER_DEG, preserve_topology=True)
    scale = 10.0**decimals
    geoms = shapely.transform(geoms, lambda xy: np.round(xy * scale) / scale)
    shown[shown.geometry.name] = gpd.GeoSeries(geoms, index=shown.index, crs=shown.crs)
    return shown


@dataclass(frozen=True)
class SearchEntry:
    """A named feature for search: where to zoom and what to highlight."""

    layer_id: str
    feature_id: str
    name: str
    folded: str
    #: representative point (lat, lon); None for unlocated features
    at: tuple[float, float] | None
    zoom: int | None
    #: the feature's display geometry as GeoJSON text (None for unlocated features)
    geometry: str | None


@dataclass(frozen=True)
class PreparedLayer:
    """A layer ready to draw: language-free, small, picklable (cache it per layer version)."""

    layer_id: str
    geojson: str
    styles: tuple[str, ...]
    n_features: int
    quality_counts: tuple[tuple[str, int], ...]
    size_max: float | None
    #: values of the style's ``color_field`` that occur, in order of first appearance
    color_values: tuple[str, ...]
    bounds: tuple[float, float, float, float] | None
    search: tuple[SearchEntry, ...]
    #: (id, name, source) of features the plan names without a place
    unlocated: tuple[tuple[str, str, str], ...]
    #: drawn from vector tiles (:func:`prepare_tiled_layer`): ``geojson`` is empty and search entries carry no
    #: geometry (the page reads a feature from the store when it is picked)
    tiled: bool = False
    #: the attributes the tiles carry: the style's fields (:func:`layers.tiles.tile_columns`)
    tile_columns: tuple[str, ...] = ()
    #: (style key, index into ``styles``): a feature's key is its style fields' texts joined by U+001F
    style_lookup: tuple[tuple[str, int], ...] = ()
    #: the stored ``geom_quality`` values counted as the store counts them (:func:`frame_quality_mix`: a missing
    #: one is "unknown", where ``quality_counts`` draws it as approximate), for the title (:func:`layer_title`);
    #: None when the features carry no ``geom_quality``: the title then claims nothing
    title_mix: tuple[tuple[str, int], ...] | None = None

    @property
    def n_located(self) -> int:
        return self.n_features - len(self.unlocated)

    @property
    def dominant_quality(self) -> str | None:
        located = [(q, n) for q, n in self.quality_counts if q != "unlocated"]
        return max(located, key=lambda qn: qn[1])[0] if located else None


def frame_quality_mix(frame: pd.DataFrame | None) -> dict[str, int] | None:
    """Features per stored ``geom_quality`` (:func:`layers.model.quality_mix`); None without that column."""
    if frame is None or "geom_quality" not in frame.columns:
        return None
    return quality_mix(frame["geom_quality"])


def frame_title(layer: LayerDef, frame: pd.DataFrame | None, lang: str) -> str:
    """``layer``'s title in ``lang`` saying what ``frame``'s features are worth ("… (sơ đồ)", "… (số hóa)").

    :meth:`LayerDef.title` with the features' own quality mix, so a title follows the data (after a real boundary
    import the communes are "(số hóa)", no longer "(sơ đồ)"); the bare title when the frame says nothing.
    """
    return layer.title(lang, frame_quality_mix(frame))


def layer_title(layer: LayerDef, prepared: PreparedLayer | None, lang: str) -> str:
    """:func:`frame_title` of a prepared layer (the title its switch, legend entry and popups show)."""
    mix = prepared.title_mix if prepared is not None else None
    return layer.title(lang, dict(mix) if mix is not None else None)


def _plain(value: Any) -> Any:
    """A JSON value for a cell: Python scalars, ISO dates; None for missing."""
    if value is None:
        return None
    if isinstance(value, float | np.floating):
        return None if math.isnan(value) else float(value)
    if isinstance(value, bool | np.bool_):
        return bool(value)
    if isinstance(value, int | np.integer):
        return int(value)
    if isinstance(value, pd.Timestamp):
        return value.date().isoformat() if value == value.normalize() else value.isoformat()
    if hasattr(value, "isoformat"):
        return value.isoformat()
    if value is pd.NA or value is pd.NaT:
        return None
    return str(value)


def _hex_color(value: str) -> str:
    return value.lower()


def _rgba(color: str, alpha: float) -> str:
    c = color.lstrip("#")
    if len(c) == 3:
        c = "".join(ch * 2 for ch in c)
    r, g, b = (int(c[i : i + 2], 16) for i in (0, 2, 4))
    return f"rgba({r},{g},{b},{alpha:.2f})"


def _rgb(color: str) -> tuple[int, int, int]:
    c = color.strip().lstrip("#")
    if len(c) == 3:
        c = "".join(ch * 2 for ch in c)
    try:
        r, g, b = (int(c[i : i + 2], 16) for i in (0, 2, 4))
    except ValueError:
        return (128, 128, 128)
    return (r, g, b)


def overview_palette(prepared: PreparedLayer) -> tiles.Palette:
    """How a tiled layer's overview image paints each style: the colours :func:`style_for` gives the map.

    A fill is its colour at its opacity; a hatched fill (stripes a pixel wide, 8 px apart) is its colour at a
    quarter of its opacity, about what the stripes cover; the outline is its colour at its opacity. Widths and
    dashes are not painted: at the overview's zoom a plot is a pixel or two.
    """
    return _palette(prepared.styles, prepared.style_lookup)


def _palette(texts: Sequence[str], lookup: Sequence[tuple[str, int]]) -> tiles.Palette:
    """:func:`overview_palette` of styles (JSON texts) and a style key -> style table."""
    styles = []
    for text in texts:
        o = json.loads(text)
        fill = None
        if o.get("fill", True) is not False and (o.get("fillColor") or o.get("hatch")):
            opacity = float(o.get("fillOpacity", 0.2)) * (0.25 if o.get("hatch") else 1.0)
            fill = (*_rgb(str(o.get("hatch") or o["fillColor"])), round(255 * opacity))
        stroke = None
        if o.get("stroke", True) is not False and o.get("color"):
            stroke = (*_rgb(str(o["color"])), round(255 * float(o.get("opacity", 1.0))))
        styles.append((fill, stroke))
    return tiles.Palette(dict(lookup), tuple(styles))


def _fill_for(style: Style, value: object) -> str | None:
    if style.color_field is not None and value is not None:
        for key, color in style.color_map:
            if key == value:
                return color
    return style.fill_color


def style_for(
    layer: LayerDef, *, fill: str | None = None, quality: str | None = None, outline: bool = False
) -> dict[str, Any]:
    """Leaflet path options for a feature of ``layer`` with fill colour ``fill`` and geometry ``quality``.

    The one place drawing rules live: the map and the legend both use it. ``hatch`` (a colour) asks the
    browser for a diagonal-stripe pattern of that colour instead of a flat fill. ``outline`` draws a polygon
    unfilled in its fill colour (see ``Style.outline_when``).
    """
    style = layer.style
    fill = fill if fill is not None else style.fill_color
    q = quality or "digitised"
    out: dict[str, Any] = {"color": style.color, "weight": style.weight, "opacity": 0.95}
    factor = _FILL_FACTOR.get(q, 1.0)
    if layer.geometry_type == "Point":
        out.update(radius=style.radius, fill=True, fillColor=fill or style.color)
        out["fillOpacity"] = round(style.fill_opacity * factor, 3) if q != "schematic" else 0.15
        if q in _POINT_DASH:
            out["dashArray"] = _POINT_DASH[q]
            out["weight"] = max(style.weight, 1.5)
        return out
    if q in _DASH:
        out["dashArray"] = _DASH[q]
    if layer.geometry_type == "LineString":
        out["fill"] = False
        return out
    if outline:
        out.update(fill=False, color=_hex_color(fill or style.color), weight=max(style.weight, 2.0))
        return out
    if style.hatch:
        out.update(fill=True, hatch=_hex_color(fill or style.color), fillOpacity=round(0.6 * factor, 3))
    elif fill is not None and style.fill_opacity > 0:
        out.update(fill=True, fillColor=fill, fillOpacity=round(style.fill_opacity * factor, 3))
    else:
        out["fill"] = False
    return out


def _radius(style: Style, value: float | None, vmax: float | None) -> float:
    if value is None or vmax is None or vmax <= 0 or value <= 0:
        return style.radius
    return round(style.radius_min + (style.radius_max - style.radius_min) * math.sqrt(min(value / vmax, 1.0)), 1)


def _zoom_for(geom: shapely.Geometry) -> int:
    if geom.geom_type == "Point":
        return 15
    minx, miny, maxx, maxy = geom.bounds
    span = max(maxx - minx, (maxy - miny) * 1.1, 1e-4)
    return int(min(16, max(9, math.floor(math.log2(360 * 600 / (256 * span))))))


#: Fields a popup shows besides the catalogue's key figures (the issue: "... status, target year").
POPUP_FIELDS: tuple[str, ...] = ("target_year",)


def _popup_fields(layer: LayerDef) -> list[FieldDef]:
    return [f for f in layer.fields if (f.key or f.name in POPUP_FIELDS) and f.name != "name"]


def _property_fields(layer: LayerDef) -> list[str]:
    names = ["id", "name", "source", "geom_quality"]
    extra = [f.name for f in _popup_fields(layer)] + ["plan_targets", layer.style.size_field or ""]
    for name in extra:
        if name in layer.field_names and name not in names:
            names.append(name)
    return names


def _qualities(layer: LayerDef, frame: gpd.GeoDataFrame) -> tuple[pd.Series, tuple[tuple[str, int], ...]]:
    """Each feature's quality ("approximate" when unsaid) and the count per quality; checks id and name exist."""
    for col in ("id", "name"):
        if col not in frame.columns:
            raise InputDataError(
                f"layer `{layer.id}` has no `{col}` column; every feature needs id and name",
                code="map.layer_without_field",
                layer=layer.title("vi"),
                layer_en=layer.title("en"),
                field=col,
            )
    quality = (
        frame["geom_quality"].astype("string").fillna("approximate")
        if "geom_quality" in frame.columns
        else pd.Series("approximate", index=frame.index, dtype="string")
    )
    counts = tuple(
        sorted(
            Counter(quality.tolist()).items(),
            key=lambda qn: GEOM_QUALITIES.index(qn[0]) if qn[0] in GEOM_QUALITIES else len(GEOM_QUALITIES),
        )
    )
    return quality, counts


def _title_mix(frame: gpd.GeoDataFrame) -> tuple[tuple[str, int], ...] | None:
    mix = frame_quality_mix(frame)
    return tuple(mix.items()) if mix is not None else None


#: what joins a feature's style fields into its style key (in the browser too: tileKey)
STYLE_KEY_SEP = tiles.STYLE_KEY_SEP


def prepare_tiled_layer(layer: LayerDef, frame: gpd.GeoDataFrame) -> PreparedLayer:
    """A large layer ready to draw from its vector tiles: styles per style key, search index, unlocated list.

    Vectorised (no per-feature Python beyond folding names for search): 100,000 plots take about a second. The
    styles are :func:`style_for`'s, as for a GeoJSON layer; each distinct combination of the style's fields
    (quality, ``color_field``, ``outline_when`` fields) present gets one. Search entries have no geometry.
    """
    quality, quality_counts = _qualities(layer, frame)
    columns = tiles.tile_columns(layer, frame.columns)
    geoms = frame.geometry.array
    located = ~(shapely.is_missing(geoms) | shapely.is_empty(geoms))
    styles, lookup = _tile_styles(layer, frame, columns, quality, located)
    style = layer.style
    shown = to_display(frame.loc[located], "the layer")
    ids = frame["id"].astype("string").fillna("").to_numpy(dtype=object)
    names = frame["name"].astype("string").fillna("").to_numpy(dtype=object)
    at = shapely.point_on_surface(shown.geometry.array)
    lat, lon = np.round(shapely.get_y(at), 6), np.round(shapely.get_x(at), 6)
    search = [
        SearchEntry(layer.id, str(fid), str(name), folded, (float(y), float(x)), zoom, None)
        for fid, name, folded, y, x, zoom in zip(
            ids[located],
            names[located],
            fold_all(names[located]),
            lat,
            lon,
            _zooms(shown.geometry.array),
            strict=True,
        )
    ]
    has_source = "source" in frame.columns
    sources = frame["source"].astype("string").fillna("").to_numpy(dtype=object) if has_source else None
    unlocated = tuple(
        (str(ids[i]), str(names[i]), str(sources[i]) if sources is not None else "") for i in np.flatnonzero(~located)
    )
    search += [SearchEntry(layer.id, fid, name, fold(name), None, None, None) for fid, name, _src in unlocated]
    color_values: tuple[str, ...] = ()
    if style.color_field and style.color_field in frame.columns:
        color_values = tuple(str(v) for v in pd.unique(frame.loc[located, style.color_field].dropna()))
    return PreparedLayer(
        layer_id=layer.id,
        geojson="",
        styles=tuple(styles),
        n_features=len(frame),
        quality_counts=quality_counts,
        size_max=None,
        color_values=color_values,
        bounds=tuple(float(v) for v in shown.total_bounds) if len(shown) else None,  # type: ignore[arg-type]
        search=tuple(search),
        unlocated=unlocated,
        tiled=True,
        tile_columns=columns,
        style_lookup=tuple(lookup),
        title_mix=_title_mix(frame),
    )


def _tile_styles(
    layer: LayerDef, frame: gpd.GeoDataFrame, keys: Sequence[str], quality: pd.Series, located: np.ndarray
) -> tuple[tuple[str, ...], tuple[tuple[str, int], ...]]:
    """The styles of a tiled layer's located features (:func:`style_for`'s, as JSON) and style key -> style."""
    texts = pd.DataFrame({c: frame[c].astype("string").fillna("") for c in keys}, index=frame.index)
    texts["_q"] = quality
    style = layer.style
    style_index: dict[str, int] = {}
    styles: list[str] = []
    lookup: list[tuple[str, int]] = []
    for combo in texts.loc[located].drop_duplicates().itertuples(index=False):
        values = dict(zip([*keys, "_q"], combo, strict=True))
        fill = _fill_for(style, values.get(style.color_field or "") or None)
        outline = any(values.get(f) == v for f, v in style.outline_when)
        skey = js_json(style_for(layer, fill=fill, quality=str(values["_q"]), outline=outline))
        if skey not in style_index:
            style_index[skey] = len(styles)
            styles.append(skey)
        lookup.append((STYLE_KEY_SEP.join(str(values[c]) for c in keys), style_index[skey]))
    return tuple(styles), tuple(lookup)


@dataclass(frozen=True)
class TileJob:
    """What a large layer's tile build needs, without the rest of its preparation (:func:`tile_job`)."""

    columns: tuple[str, ...]
    features: int
    palette: tiles.Palette


def tile_job(layer: LayerDef, frame: gpd.GeoDataFrame) -> TileJob:
    """The tile columns, located features and overview palette of a large layer version, computed alone.

    The same as :func:`prepare_tiled_layer` gives (and :func:`overview_palette` of it), in a fraction of its time:
    no search index, no positions.
    """
    columns = tiles.tile_columns(layer, frame.columns)
    geoms = frame.geometry.array
    located = ~(shapely.is_missing(geoms) | shapely.is_empty(geoms))
    styles, lookup = _tile_styles(layer, frame, columns, _qualities(layer, frame)[0], located)
    return TileJob(columns, int(located.sum()), _palette(styles, lookup))


def fold_all(names: Sequence[str] | np.ndarray) -> list[str]:
    """:func:`geo.text.fold` of many names at once (the same keys; ~10 times faster on 100,000 names).

    Names that are ASCII once their Vietnamese marks (U+0300-U+036F) are gone are folded with pandas' string
    methods; any other name (a mark outside that block, another script) goes through ``fold`` itself.
    """
    text = pd.Series(list(names), dtype="string").fillna("")
    plain = (
        text.str.replace("đ", "d", regex=False)
        .str.replace("Đ", "D", regex=False)
        .str.normalize("NFD")
        .str.replace("[\u0300-\u036f]", "", regex=True)
    )
    ascii_ = plain.map(str.isascii).to_numpy(dtype=bool)
    folded = plain.str.lower().str.replace(r"\s+", " ", regex=True).str.strip()
    return [str(f) if a else fold(str(n)) for f, a, n in zip(folded, ascii_, text, strict=True)]


def _zooms(geoms: np.ndarray) -> list[int]:
    """:func:`_zoom_for` of each geometry (EPSG:4326), vectorised."""
    b = shapely.bounds(geoms)
    span = np.maximum.reduce([b[:, 2] - b[:, 0], (b[:, 3] - b[:, 1]) * 1.1, np.full(len(b), 1e-4)])
    zoom = np.clip(np.floor(np.log2(360 * 600 / (256 * span))), 9, 16)
    points = shapely.get_type_id(geoms) == 0
    return [15 if p else int(z) for p, z in zip(points, zoom, strict=True)]


def prepare_layer(
    layer: LayerDef, frame: gpd.GeoDataFrame, *, simplify_m: float = SIMPLIFY_M, decimals: int = DECIMALS
) -> PreparedLayer:
    """Everything the map needs of a layer, computed once: display GeoJSON, styles, search index, unlocated list.

    The GeoJSON keeps only the popup's key figures (the side panel reads the full row) and gives every feature a
    style index ``_s`` (and a radius ``_r`` for sized points).
    """
    quality, quality_counts = _qualities(layer, frame)
    shown = display_frame(frame, simplify_m=simplify_m, decimals=decimals)
    # largest first, so smaller polygons are drawn on top and stay clickable (ordering only, not a measurement)
    shown = shown.iloc[np.argsort(-shapely.area(shown.geometry.array), kind="stable")]
    has_source = "source" in frame.columns
    unlocated = tuple(
        (str(_plain(frame.at[i, "id"])), _text(frame.at[i, "name"]), _text(frame.at[i, "source"]) if has_source else "")
        for i in frame.index.difference(shown.index, sort=False)
    )
    style = layer.style
    size_max: float | None = None
    if style.size_field and style.size_field in shown.columns:
        sizes = pd.to_numeric(shown[style.size_field], errors="coerce")
        positive = sizes[sizes > 0]
        size_max = float(positive.max()) if not positive.empty else None

    color_values: tuple[str, ...] = ()
    if style.color_field and style.color_field in shown.columns:
        color_values = tuple(dict.fromkeys(str(v) for v in shown[style.color_field].dropna()))
    props = [c for c in _property_fields(layer) if c in shown.columns]
    style_index: dict[str, int] = {}
    styles: list[str] = []
    features: list[str] = []
    search: list[SearchEntry] = []
    for i, geom in zip(shown.index, shown.geometry.array, strict=True):
        row = shown.loc[i]
        p = {c: v for c in props if (v := _plain(row[c])) is not None}
        p["id"] = str(p.get("id", i))
        q = str(quality.loc[i])
        fill = _fill_for(style, _plain(row[style.color_field]) if style.color_field in shown.columns else None)
        outline = any(str(_plain(row.get(f))) == v for f, v in style.outline_when)
        key = js_json(style_for(layer, fill=fill, quality=q, outline=outline))
        if key not in style_index:
            style_index[key] = len(styles)
            styles.append(key)
        p["_s"] = style_index[key]
        if style.size_field and layer.geometry_type == "Point":
            p["_r"] = _radius(style, _plain(row.get(style.size_field)), size_max)
        geometry = js_json(shapely.geometry.mapping(geom))
        features.append(f'{{"type":"Feature","properties":{js_json(p)},"geometry":{geometry}}}')
        name = str(p.get("name", ""))
        at = geom if geom.geom_type == "Point" else geom.representative_point()
        search.append(
            SearchEntry(
                layer.id, p["id"], name, fold(name), (round(at.y, 6), round(at.x, 6)), _zoom_for(geom), geometry
            )
        )
    for fid, name, _source in unlocated:
        search.append(SearchEntry(layer.id, fid, name, fold(name), None, None, None))
    bounds = tuple(float(v) for v in shown.total_bounds) if len(shown) else None
    return PreparedLayer(
        layer_id=layer.id,
        geojson='{"type":"FeatureCollection","features":[' + ",".join(features) + "]}",
        styles=tuple(styles),
        n_features=len(frame),
        quality_counts=quality_counts,
        size_max=size_max,
        color_values=color_values,
        bounds=bounds,  # type: ignore[arg-type]
        search=tuple(search),
        unlocated=unlocated,
        title_mix=_title_mix(frame),
    )


def _text(value: object) -> str:
    v = _plain(value)
    return "" if v is None else str(v)


# --- labels ---------------------------------------------------------------------------------------------------


def unit_label(unit: str | None, lang: str) -> str:
    """A unit as the UI shows it ("m³/day" -> "m³/ngày" in Vietnamese); unknown units unchanged."""
    if not unit:
        return ""
    key = f"map.unit.{unit}"
    return t(key, lang) if key in TEXT else unit


def choice_label(field: str, value: object, lang: str) -> str:
    """The label of a canonical choice value (statuses, species, kinds) in ``lang``; others unchanged."""
    i = 1 if lang == "en" else 0
    if field == "status" and value in STATUS_LABELS:
        return STATUS_LABELS[str(value)][i]
    if field == "species" and value in SPECIES_LABELS:
        return SPECIES_LABELS[str(value)][i]
    key = f"map.choice.{value}"
    return t(key, lang) if key in TEXT else str(value)


def quality_label(quality: str, lang: str) -> str:
    """The label of a geometry quality in ``lang``."""
    pair = GEOM_QUALITY_LABELS.get(quality)
    return (pair[1] if lang == "en" else pair[0]) if pair else quality


def format_value(fdef: FieldDef | None, value: object, lang: str) -> str:
    """A cell as the side panel and tables show it: choice labels, localised numbers, units."""
    v = _plain(value)
    if v is None or v == "":
        return ""
    if isinstance(v, bool):
        return t("map.yes" if v else "map.no", lang)
    if fdef is not None and fdef.choices:
        return choice_label(fdef.name, v, lang)
    if isinstance(v, int | float) and fdef is not None and fdef.unit in _PLAIN_UNITS:
        return str(v) if fdef.unit == "year" else f"{v}{fdef.unit}"
    text = format_number(round(float(v), 2), lang) if isinstance(v, int | float) else str(v)
    unit = unit_label(fdef.unit if fdef else None, lang)
    return f"{text}\u00a0{unit}" if unit else text


def _spec(layer: LayerDef, prepared: PreparedLayer, lang: str, target_titles: Mapping[str, str] | None = None) -> str:
    fields = []
    for f in _popup_fields(layer):
        choices = {c: choice_label(f.name, c, lang) for c in f.choices} if f.choices else None
        plain = f.unit in _PLAIN_UNITS
        unit = "" if f.unit == "year" else unit_label(f.unit, lang)
        fields.append([f.name, f.label_en if lang == "en" else f.label_vi, unit, choices, plain])
    quality = {
        q: [quality_label(q, lang), t(f"map.quality_note.{q}", lang), q in FLAGGED_QUALITIES] for q in GEOM_QUALITIES
    }
    spec = {
        "id": layer.id,
        "title": layer_title(layer, prepared, lang),
        "lang": lang,
        "fields": fields,
        "quality": quality,
        "targets": ", ".join(layer.targets),
        "target_titles": dict(target_titles or {}),
        "labels": {
            "quality": t("map.popup.quality", lang),
            "targets": t("map.popup.targets", lang),
            "source": t("map.popup.source", lang),
            "yes": t("map.yes", lang),
            "no": t("map.no", lang),
            "moved": t("map.spread.moved", lang),
        },
    }
    return js_json(spec)[:-1] + ',"styles":[' + ",".join(prepared.styles) + "]}"


def add_layer(
    target: folium.Map | folium.FeatureGroup,
    layer: LayerDef,
    data: gpd.GeoDataFrame | PreparedLayer,
    *,
    lang: str,
    target_titles: Mapping[str, str] | None = None,
) -> PreparedLayer:
    """Draw a catalogue layer on ``target`` (a map from :func:`base_map`, or a feature group for it).

    ``data`` is the layer's frame (any CRS; reprojected to EPSG:4326 and simplified here) or a
    :class:`PreparedLayer` made earlier (cache those). ``target_titles`` (plan target id -> title in ``lang``)
    lets popups name the targets a feature serves, not only their numbers. Returns the prepared layer.
    """
    prepared = data if isinstance(data, PreparedLayer) else prepare_layer(layer, data)
    if prepared.layer_id != layer.id:
        raise ValueError(f"prepared data is for layer {prepared.layer_id!r}, not {layer.id!r}")
    _PlanLayer(_spec(layer, prepared, lang, target_titles), prepared.geojson).add_to(target)
    return prepared


def use_tiles(m: folium.Map) -> folium.Map:
    """Load protomaps-leaflet with ``m`` (the app's copy) so that :func:`add_tiled_layer` can draw on it.

    On the map itself, not in a feature group: streamlit-folium loads a map's scripts once, with the map.
    """
    _TileRenderer().add_to(m)
    return m


def tile_url(name: str) -> str:
    """The URL of a tile file of :data:`ui.assets.TILES_DIR`, as seen from streamlit-folium's iframe."""
    return f"{assets.TILES_URL}/{name}"


def _tiled_spec(
    layer: LayerDef,
    prepared: PreparedLayer,
    lang: str,
    target_titles: Mapping[str, str] | None = None,
    overview: tuple[str, tiles.Overview] | None = None,
    *,
    pending: bool = False,
) -> str:
    extra: dict[str, Any] = {
        "pending": pending,
        "keys": list(prepared.tile_columns),
        "lookup": dict(prepared.style_lookup),
        "tile_layer": tiles.TILE_LAYER,
        "maxzoom": tiles.MAX_ZOOM,
        # Leaflet draws tile zoom round(zoom); protomaps-leaflet reads data zoom tile zoom - 1
        "minzoom": tiles.MIN_ZOOM + 0.5,
        "zoom_note": t("map.tiles.zoom_in", lang).format(layer=layer_title(layer, prepared, lang)),
    }
    if overview is not None:
        url, o = overview
        extra["overview"] = {"url": url, "bounds": [[o.south, o.west], [o.north, o.east]], "below": o.zoom}
    return _spec(layer, prepared, lang, target_titles)[:-1] + "," + js_json(extra)[1:]


def add_tiled_layer(
    target: folium.Map | folium.FeatureGroup,
    layer: LayerDef,
    prepared: PreparedLayer,
    url: str,
    *,
    lang: str,
    target_titles: Mapping[str, str] | None = None,
    overview: tiles.Overview | None = None,
    pending: bool = False,
) -> None:
    """Draw a large catalogue layer from its PMTiles file at ``url`` (:func:`tile_url`).

    ``target`` is a map from :func:`base_map` passed through :func:`use_tiles`, or a feature group for one.
    Styles are the GeoJSON layers' (:func:`style_for`, quality dashes and hatching included). A click on a
    feature sends ``⟦layer@lat,lon,zoom⟧`` to the page as a GeoJSON feature sends its tooltip
    (:func:`parse_point_ref`); the page finds the feature there in the store (:func:`feature_at`) and draws it
    with :func:`add_selected`. With ``overview`` (the tile file's, :func:`layers.tiles.file_overview`) the layer is
    drawn below its zoom as that one image (``url`` + :data:`layers.tiles.OVERVIEW_SUFFIX`), from it on from the
    tiles; a click on the image is sent the same way. Without one, below the tiles' first zoom the map says to
    zoom in. With ``pending`` the file is still being built: the layer is drawn as its overview image at every zoom
    and no tile is asked for (a later run draws it again without ``pending`` once the file is there).
    """
    if not prepared.tiled or prepared.layer_id != layer.id:
        raise ValueError(f"{prepared.layer_id!r} is not a tiled layer prepared for {layer.id!r}")
    if pending and overview is None:
        raise ValueError("a layer whose tiles are being built is drawn from its overview: none was given")
    image = (url + tiles.OVERVIEW_SUFFIX, overview) if overview is not None else None
    _TiledLayer(_tiled_spec(layer, prepared, lang, target_titles, image, pending=pending), url).add_to(target)


def add_selected(
    target: folium.Map | folium.FeatureGroup,
    layer: LayerDef,
    prepared: PreparedLayer,
    row: gpd.GeoDataFrame,
    *,
    lang: str,
    target_titles: Mapping[str, str] | None = None,
) -> None:
    """Outline a feature of a tiled layer and open its popup, from ``row`` (the feature as the store holds it).

    The popup is the GeoJSON layers' (the same key figures, built in the browser with ``esc``): every value comes
    from the store, none from the tiles. Nothing is drawn for a feature without a geometry.
    """
    shown = display_frame(row)
    if shown.empty:
        return
    props = [c for c in _property_fields(layer) if c in shown.columns]
    first = shown.iloc[0]
    p = {c: v for c in props if (v := _plain(first[c])) is not None}
    geom = shown.geometry.iloc[0]
    at = geom if geom.geom_type == "Point" else geom.representative_point()
    data = (
        '{"type":"FeatureCollection","features":[{"type":"Feature","properties":'
        + js_json(p)
        + ',"geometry":'
        + js_json(shapely.geometry.mapping(geom))
        + "}]}"
    )
    _Selected(_spec(layer, prepared, lang, target_titles), data, (round(at.y, 6), round(at.x, 6))).add_to(target)


def feature_geojson(row: gpd.GeoDataFrame) -> str | None:
    """The display GeoJSON of the first feature of ``row`` (a search hit's outline), or None without a geometry."""
    shown = display_frame(row)
    return None if shown.empty else js_json(shapely.geometry.mapping(shown.geometry.iloc[0]))


def add_features(
    target: folium.Map | folium.FeatureGroup,
    frame: gpd.GeoDataFrame,
    *,
    style: Mapping[str, Any] | Sequence[Mapping[str, Any]],
    tooltip: Sequence[tuple[str, str]] = (),
) -> None:
    """Draw a page's own features (lots, communes, a plant) on ``target``, with their tooltip.

    Parameters
    ----------
    target
        A map from :func:`base_map`, or a feature group for one.
    frame
        The features, in any CRS (drawn in EPSG:4326, as given: simplify before when needed); rows without a
        geometry are left out.
    style
        Leaflet path options (:func:`style_for`'s keys; ``hatch`` too): one mapping for every feature, or one per
        row of ``frame``. Points are circle markers (``radius``).
    tooltip
        (column, label) pairs: a tooltip table of those columns, in that order. Without it the features take no
        mouse events.

    Every value reaches the browser as JSON text (:func:`ui.escape.js_json`) and the tooltip is built there with
    ``esc``: a tenant named ``<img src=x onerror=...>`` or ``${...}`` is shown as typed and never runs. This is the
    way to show planners' text on a map; folium's ``Tooltip``, ``Popup`` and ``GeoJsonTooltip`` insert raw HTML.
    """
    shown = to_display(frame, "the features")
    row_styles = [style] * len(shown) if isinstance(style, Mapping) else list(style)
    if len(row_styles) != len(shown):
        raise ValueError(f"{len(row_styles)} styles for {len(shown)} features; give one style or one per feature")
    styles: list[str] = []
    index: dict[str, int] = {}
    features: list[str] = []
    columns = [c for c, _ in tooltip]
    for n, geom in enumerate(shown.geometry.array):
        if geom is None or shapely.is_empty(geom):
            continue
        key = js_json(dict(row_styles[n]))
        if key not in index:
            index[key] = len(styles)
            styles.append(key)
        props: dict[str, object] = {c: _text(shown[c].iloc[n]) for c in columns}
        props["_s"] = index[key]
        geometry = js_json(shapely.geometry.mapping(geom))
        features.append(f'{{"type":"Feature","properties":{js_json(props)},"geometry":{geometry}}}')
    spec = js_json({"fields": [[c, label] for c, label in tooltip]})[:-1] + ',"styles":[' + ",".join(styles) + "]}"
    data = '{"type":"FeatureCollection","features":[' + ",".join(features) + "]}"
    _Features(spec, data).add_to(target)


def name_items(frame: gpd.GeoDataFrame, column: str) -> list[tuple[float, float, str]]:
    """(lat, lon, text) of each feature's ``column`` at a point inside it (EPSG:4326), for :func:`add_names`.

    Rows without a geometry or with an empty text are left out.
    """
    shown = to_display(frame, "the features")
    out: list[tuple[float, float, str]] = []
    for text, geom in zip(shown[column], shown.geometry.array, strict=True):
        label = _text(text).strip()
        if geom is None or shapely.is_empty(geom) or not label:
            continue
        at = geom if geom.geom_type == "Point" else geom.representative_point()
        out.append((round(at.y, 6), round(at.x, 6), label))
    return out


def add_names(
    target: folium.Map | folium.FeatureGroup, items: Iterable[tuple[float, float, str]], *, kind: str = "commune"
) -> None:
    """Write names on the map (commune names, lot numbers): ``items`` are (lat, lon, text).

    The text reaches the browser as JSON (:func:`ui.escape.js_json`) and is shown through ``esc``, never read as
    HTML. ``kind`` ("commune", "lot") picks the label's look (CSS class ``by-<kind>``).
    """
    data = [[lat, lon, text] for lat, lon, text in items]
    if data:
        _Names(js_json(data), f"by-{kind}").add_to(target)


def spread_colocated(
    points: Iterable[tuple[str, float, float]], *, spacing_m: float = SPREAD_M
) -> dict[str, tuple[float, float, float]]:
    """Where to draw points that share a place so each can be clicked: key -> (lat, lon, metres moved).

    ``points`` are (key, lat, lon) in EPSG:4326; points within ~0.1 m of each other (6 decimals) share a place.
    Each group of n > 1 is put on a circle around the place, the first due north then clockwise, neighbours
    ``spacing_m`` apart on the ground (the circle is laid out in EPSG:9208 metres, so it is the same at every
    zoom). Points alone at their place are not returned: they are drawn where they are.
    """
    groups: dict[tuple[float, float], list[tuple[str, float, float]]] = defaultdict(list)
    for key, lat, lon in points:
        groups[(round(lat, 6), round(lon, 6))].append((key, lat, lon))
    to_work, to_display_ = transformer(DISPLAY_EPSG, WORK_EPSG), transformer(WORK_EPSG, DISPLAY_EPSG)
    out: dict[str, tuple[float, float, float]] = {}
    for members in groups.values():
        n = len(members)
        if n < 2:
            continue
        radius = spacing_m / (2 * math.sin(math.pi / n))
        lat0 = sum(m[1] for m in members) / n
        lon0 = sum(m[2] for m in members) / n
        x0, y0 = to_work.transform(lon0, lat0)
        for i, (key, _lat, _lon) in enumerate(members):
            angle = 2 * math.pi * i / n
            lon, lat = to_display_.transform(x0 + radius * math.sin(angle), y0 + radius * math.cos(angle))
            out[key] = (round(lat, 7), round(lon, 7), round(radius))
    return out


def add_spread(target: folium.Map | folium.FeatureGroup, moves: Mapping[str, tuple[float, float, float]]) -> None:
    """Move the catalogue layers' points drawn in ``target`` as :func:`spread_colocated` says (keys layer/id).

    Add it after the layers. A moved point's popup says it is drawn off its place, and by how much.
    """
    if moves:
        _Spread(js_json({key: list(v) for key, v in moves.items()})).add_to(target)


#: fields never offered by the attribute filter: identities and free text
_NOT_FILTERED = ("id", "name", "source", "notes", "description")
#: a text field is offered by the filter when it has at most this many distinct values
FILTER_MAX_VALUES = 40


def filter_fields(layer: LayerDef, frame: gpd.GeoDataFrame) -> list[FieldDef]:
    """The fields of ``layer`` a planner can filter by: those with choices, and texts with few distinct values."""
    out = []
    for f in layer.fields:
        if f.name in _NOT_FILTERED or f.name not in frame.columns:
            continue
        values = frame[f.name].dropna()
        if f.choices or (f.dtype in ("str", "bool") and 0 < values.astype(str).nunique() <= FILTER_MAX_VALUES):
            out.append(f)
    if "geom_quality" in frame.columns:
        out.append(FieldDef("geom_quality", "str", "Độ tin cậy hình học", "Geometry quality"))
    return out


def filter_values(fdef: FieldDef, frame: gpd.GeoDataFrame) -> list[str]:
    """The values of ``fdef`` that occur in ``frame``, as text: in the order of its choices, then sorted."""
    present = {_text(v) for v in frame[fdef.name].dropna()} - {""}
    order = list(fdef.choices) if fdef.choices else list(GEOM_QUALITIES) if fdef.name == "geom_quality" else []
    return [v for v in order if v in present] + sorted(present - set(order))


def filter_features(frame: gpd.GeoDataFrame, field: str, values: Iterable[str]) -> gpd.GeoDataFrame:
    """The features of ``frame`` whose ``field``, read as text, is one of ``values`` (all of them when empty)."""
    wanted = set(values)
    if not wanted:
        return frame
    keep = frame[field].map(lambda v: _text(v) in wanted).to_numpy(dtype=bool)
    return frame[keep]


def filter_label(fdef: FieldDef, value: str, lang: str) -> str:
    """A filter value as the page shows it (choice labels, quality labels)."""
    if fdef.name == "geom_quality":
        return quality_label(value, lang)
    if value in ("True", "False"):
        return t("map.yes" if value == "True" else "map.no", lang)
    return choice_label(fdef.name, value, lang) if fdef.choices else value


def highlight_group(entry: SearchEntry) -> folium.FeatureGroup:
    """A feature group outlining a search result, with its name in a permanent label."""
    group = folium.FeatureGroup(name="highlight", control=False)
    add_highlight(group, entry)
    return group


def add_highlight(target: folium.Map | folium.FeatureGroup, entry: SearchEntry) -> None:
    """Outline a search result on ``target`` and label it with its name (nothing for unlocated features)."""
    if entry.geometry is not None and entry.at is not None:
        data = (
            '{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"_at":'
            + js_json(list(entry.at))
            + '},"geometry":'
            + entry.geometry
            + "}]}"
        )
        _Highlight(data, entry.name).add_to(target)


def parse_ref(tooltip_text: str | None) -> tuple[str, str] | None:
    """(layer id, feature id) from the text of a clicked feature's tooltip, or None."""
    if not tooltip_text:
        return None
    start = tooltip_text.rfind(REF_OPEN)
    end = tooltip_text.rfind(REF_CLOSE)
    if start < 0 or end < start:
        return None
    layer_id, sep, feature_id = tooltip_text[start + 1 : end].partition("/")
    return (layer_id, feature_id) if sep and layer_id else None


#: how near a click (in screen pixels) a tiled feature may be to be picked: the browser's hit test uses the same
PICK_PIXELS = 6
_EARTH_CIRCUMFERENCE_M = 40_075_016.686
_DEGREES = r"(-?\d{1,3}(?:\.\d{1,12})?)"
_POINT_REF = re.compile(rf"^([A-Za-z0-9_]{{1,64}})@{_DEGREES},{_DEGREES},(\d{{1,2}}(?:\.\d{{1,6}})?)$")


@dataclass(frozen=True)
class PointRef:
    """Where a click on a tiled layer was: the layer, the place (EPSG:4326) and the map's zoom."""

    layer_id: str
    lat: float
    lon: float
    zoom: float

    @property
    def tolerance_m(self) -> float:
        """:data:`PICK_PIXELS` screen pixels at the click's zoom and latitude, in metres (Leaflet's 256-px zoom)."""
        per_px = _EARTH_CIRCUMFERENCE_M * math.cos(math.radians(self.lat)) / (256 * 2**self.zoom)
        return PICK_PIXELS * per_px


def parse_point_ref(text: str | None) -> PointRef | None:
    """The :class:`PointRef` a click on a tiled layer sent (``⟦layer@lat,lon,zoom⟧``), or None.

    The text comes from the browser and is untrusted: anything but a layer id, a latitude, a longitude and a zoom
    in range is None.
    """
    if not text:
        return None
    start, end = text.rfind(REF_OPEN), text.rfind(REF_CLOSE)
    if start < 0 or end < start:
        return None
    found = _POINT_REF.match(text[start + 1 : end])
    if found is None:
        return None
    lat, lon, zoom = (float(found.group(i)) for i in (2, 3, 4))
    if not (abs(lat) <= 85.0 and abs(lon) <= 180.0 and 0.0 <= zoom <= 24.0):
        return None
    return PointRef(found.group(1), lat, lon, zoom)


def feature_at(geoms: np.ndarray, at: PointRef, *, tree: shapely.STRtree | None = None) -> int | None:
    """The row of the feature a click on a tiled layer picked, or None: ``geoms`` are the layer's (EPSG:4326).

    The last feature (in the store's order, the order the tiles draw) whose shape holds the place; else the one
    nearest to it within :attr:`PointRef.tolerance_m` (a line, or a click just beside a shape), measured in
    EPSG:9208. ``tree`` is an STRtree of ``geoms`` kept by the caller (built here when None).
    """
    geoms = np.asarray(geoms, dtype=object)
    if not len(geoms):
        return None
    tree = tree if tree is not None else shapely.STRtree(geoms)
    tol = at.tolerance_m
    # a box of at least the tolerance around the place, in degrees (1° of latitude is ≥ 110 km)
    dlat = tol / 110_000.0
    dlon = dlat / max(math.cos(math.radians(at.lat)), 1e-6)
    candidates = np.sort(tree.query(shapely.box(at.lon - dlon, at.lat - dlat, at.lon + dlon, at.lat + dlat)))
    if not len(candidates):
        return None
    point = shapely.Point(at.lon, at.lat)
    holding = candidates[shapely.intersects(geoms[candidates], point)]
    if len(holding):
        return int(holding[-1])
    to_work = transformer(f"EPSG:{DISPLAY_EPSG}", f"EPSG:{WORK_EPSG}")
    work = shapely.transform(geoms[candidates], lambda xy: np.column_stack(to_work.transform(xy[:, 0], xy[:, 1])))
    px, py = to_work.transform(at.lon, at.lat)
    dist = shapely.distance(work, shapely.Point(px, py))
    best = int(np.argmin(dist))
    return int(candidates[best]) if dist[best] <= tol else None


# --- legend ---------------------------------------------------------------------------------------------------

_CSS_DASH = {None: "solid", "approximate": "dashed", "schematic": "dotted"}


def css_dash(quality: str | None) -> str:
    """The CSS border style a legend draws a geometry quality's outline with (as :func:`style_for` dashes it)."""
    return _CSS_DASH[quality if quality in FLAGGED_QUALITIES else None]


def _symbol(
    layer: LayerDef,
    *,
    fill: str | None = None,
    quality: str | None = None,
    radius: float | None = None,
    outline: bool = False,
) -> str:
    s = style_for(layer, fill=fill, quality=quality, outline=outline)
    border = f"{max(1.0, float(s['weight'])):.1f}px {css_dash(quality)}"
    border += f" {html_text(s['color'])}"
    if layer.geometry_type == "Point":
        r = radius if radius is not None else float(s["radius"])
        size = max(6, round(2 * r))
        bg = _rgba(s["fillColor"], float(s["fillOpacity"]))
        return (
            f'<span class="by-sym" style="display:inline-block;width:{size}px;height:{size}px;border-radius:50%;'
            f'border:{border};background:{bg};vertical-align:middle;box-sizing:border-box"></span>'
        )
    if layer.geometry_type == "LineString":
        return (
            f'<span class="by-sym" style="display:inline-block;width:24px;border-top:{border};'
            'vertical-align:middle"></span>'
        )
    if "hatch" in s:
        c = _rgba(s["hatch"], float(s["fillOpacity"]))
        bg = f"repeating-linear-gradient(-45deg,{c} 0 2px,transparent 2px 6px)"
    elif s.get("fill"):
        bg = _rgba(s["fillColor"], float(s["fillOpacity"]))
    else:
        bg = "transparent"
    return (
        f'<span class="by-sym" style="display:inline-block;width:24px;height:15px;border:{border};background:{bg};'
        f'vertical-align:middle;box-sizing:border-box"></span>'
    )


def _row(symbol: str, label: str, *, indent: bool = False) -> str:
    pad = "padding-left:1.1rem;" if indent else ""
    return (
        f'<div style="display:flex;align-items:center;gap:0.45rem;margin:2px 0;{pad}">'
        f'<span style="min-width:26px;text-align:center">{symbol}</span><span>{html_text(label)}</span></div>'
    )


def legend_html(
    catalogue: Catalogue | Iterable[LayerDef],
    lang: str,
    *,
    size_max: Mapping[str, float] | None = None,
    qualities: Mapping[str, str] | None = None,
    present: Mapping[str, Iterable[str]] | None = None,
    mixes: Mapping[str, Mapping[str, int]] | None = None,
    titles: Mapping[str, str] | None = None,
) -> str:
    """The legend of ``catalogue``'s layers as HTML, grouped like the catalogue, drawn with the map's own styles.

    ``size_max`` (layer id -> largest value of its ``size_field``) labels the sized symbols; ``qualities``
    (layer id -> the quality most of its features have) draws each symbol with that quality's outline, as on
    the map; ``present`` (layer id -> the ``color_field`` values its features have) limits a colour-coded
    layer's entries to those values; ``mixes`` (layer id -> features per quality, e.g.
    ``PreparedLayer.quality_counts``) lets each title say what its data is worth ("(sơ đồ)", "(số hóa)"; from
    the dominant quality when only ``qualities`` is given); ``titles`` (layer id -> title, e.g. :func:`layer_title`)
    gives each title as the page shows it elsewhere, and wins over both. Titles are escaped here (``html_text``).
    A note at the end explains what the geometry qualities mean and how they are drawn.
    """
    layers = list(catalogue)
    size_max = size_max or {}
    qualities = qualities or {}
    mixes = mixes or {}
    titles = titles or {}
    parts = ['<div class="by-legend" style="font-size:0.85rem;line-height:1.3">']
    for group, (vi, en) in GROUPS.items():
        members = [layer for layer in layers if layer.group == group]
        if not members:
            continue
        parts.append(f'<div style="font-weight:600;margin-top:0.5rem">{html_text(en if lang == "en" else vi)}</div>')
        for layer in members:
            q = qualities.get(layer.id)
            style = layer.style
            mix = mixes.get(layer.id) or ({q: 1} if q else None)
            title = titles[layer.id] if layer.id in titles else layer.title(lang, mix)
            if style.color_map and style.color_field:
                parts.append(_row(_symbol(layer, quality=q), title))
                only = set(present[layer.id]) if present is not None and layer.id in present else None
                for value, color in style.color_map:
                    if only is not None and value not in only:
                        continue
                    parts.append(
                        _row(
                            _symbol(layer, fill=color, quality=q),
                            choice_label(style.color_field, value, lang),
                            indent=True,
                        )
                    )
            else:
                parts.append(_row(_symbol(layer, quality=q), title))
            if style.outline_when:
                parts.append(_row(_symbol(layer, quality=q, outline=True), t("map.legend.outline", lang), indent=True))
            if style.size_field and layer.geometry_type == "Point":
                fdef = next((f for f in layer.fields if f.name == style.size_field), None)
                label = fdef.label_en if (fdef and lang == "en") else (fdef.label_vi if fdef else style.size_field)
                vmax = size_max.get(layer.id)
                if vmax:
                    for v in (vmax, vmax / 4):
                        r = _radius(style, v, vmax)
                        parts.append(
                            _row(_symbol(layer, quality=q, radius=r), format_value(fdef, v, lang), indent=True)
                        )
                parts.append(
                    f'<div style="padding-left:1.1rem;color:#666">{html_text(t("map.legend.size_by", lang))} '
                    f"{html_text(label.lower())}</div>"
                )
    parts.append(f'<div style="font-weight:600;margin-top:0.7rem">{html_text(t("map.legend.quality", lang))}</div>')
    sample = LayerDef("_q", "", "", "admin", "Polygon", (), Style(color="#444444", fill_color=None, weight=2.0))
    for q in ("digitised", "approximate", "schematic"):
        label = quality_label(q, lang) if q != "digitised" else t("map.legend.quality_exact", lang)
        parts.append(_row(_symbol(sample, quality=q), label))
    for q in GEOM_QUALITIES:
        parts.append(
            f'<div style="color:#555;margin-top:2px"><b>{html_text(quality_label(q, lang))}</b>: '
            f"{html_text(t(f'map.quality_note.{q}', lang))}</div>"
        )
    parts.append("</div>")
    return "".join(parts)

/*
 * The map's own layers, served by the app beside Leaflet (no CDN).
 *
 * aisnemap/maps.py (folium) writes, for each layer, one call to a function of this file
 * with the layer's data as JSON. Every text from the data goes through textContent: a
 * name can never become markup. Texts of the interface come from Python (aisnemap.texts)
 * in `window.aisne.textes`, set by the map's first script.
 */
(function () {
  "use strict";

  var A = (window.aisne = window.aisne || {});
  A.textes = A.textes || {};

  function t(key, fallback) {
    return A.textes[key] || fallback;
  }

  /* Google's polyline algorithm (lat first, as Leaflet). */
  A.decode = function (str, precision) {
    var index = 0, lat = 0, lng = 0, coords = [], factor = Math.pow(10, precision);
    while (index < str.length) {
      var b, shift = 0, result = 0;
      do {
        b = str.charCodeAt(index++) - 63;
        result |= (b & 0x1f) << shift;
        shift += 5;
      } while (b >= 0x20);
      lat += result & 1 ? ~(result >> 1) : result >> 1;
      shift = 0;
      result = 0;
      do {
        b = str.charCodeAt(index++) - 63;
        result |= (b & 0x1f) << shift;
        shift += 5;
      } while (b >= 0x20);
      lng += result & 1 ? ~(result >> 1) : result >> 1;
      coords.push([lat / factor, lng / factor]);
    }
    return coords;
  };

  /* A popup's content: a table captioned with the place's name, one row per field
     ([label, value]), every text set with textContent. */
  A.popupBox = function (title, rows) {
    var box = document.createElement("div");
    box.className = "aisne-popup";
    box.setAttribute("tabindex", "-1");
    var table = document.createElement("table");
    table.appendChild(A.text("caption", title));
    rows.forEach(function (row) {
      var tr = document.createElement("tr");
      var th = A.text("th", row[0]);
      th.setAttribute("scope", "row");
      tr.appendChild(th);
      tr.appendChild(A.text("td", row[1]));
      table.appendChild(tr);
    });
    box.appendChild(table);
    return box;
  };

  A.text = function (tag, text, cls) {
    var el = document.createElement(tag);
    if (cls) {
      el.className = cls;
    }
    el.textContent = text == null ? "" : String(text);
    return el;
  };

  /* Polygons: [tooltip, [[ring, ...], ...], colour?] per item. Out of the tab order
     (RGAA 7.3): the table of sites is the text alternative, not 800 communes. */
  A.polygons = function (group, items, style, precision) {
    items.forEach(function (item) {
      var rings = item[1].map(function (poly) {
        return poly.map(function (ring) {
          return A.decode(ring, precision);
        });
      });
      var own = item[2] ? Object.assign({}, style, { fillColor: item[2] }) : style;
      var layer = L.polygon(rings, own);
      if (item[0]) {
        layer.bindTooltip(A.text("span", item[0]), { sticky: true });
      }
      layer.on("add", function () {
        var el = layer.getElement();
        if (el) {
          el.setAttribute("tabindex", "-1");
          el.setAttribute("focusable", "false");
          el.setAttribute("aria-hidden", "true");
        }
      });
      layer.addTo(group);
    });
  };

  /* An icon whose element carries an accessible name (Leaflet sets role="button" and
     tabindex="0" on keyboard markers; a div icon has no alt text of its own). */
  var LabelledIcon = L.DivIcon.extend({
    createIcon: function (old) {
      var div = L.DivIcon.prototype.createIcon.call(this, old);
      div.setAttribute("aria-label", this.options.label || "");
      return div;
    }
  });

  function rgba(hex, alpha) {
    var m = /^#([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})$/i.exec(hex || "");
    if (!m) {
      return hex;
    }
    return "rgba(" + parseInt(m[1], 16) + "," + parseInt(m[2], 16) + "," +
      parseInt(m[3], 16) + "," + alpha + ")";
  }

  function siteIcon(site) {
    var size = Math.round(2 * site.r + site.weight);
    var dot = document.createElement("span");
    dot.className = "aisne-point";
    dot.style.width = size + "px";
    dot.style.height = size + "px";
    dot.style.background = rgba(site.fill, site.fillOpacity);
    dot.style.borderColor = site.stroke;
    dot.style.borderWidth = site.weight + "px";
    dot.style.borderStyle = site.dash ? "dashed" : "solid";
    return new LabelledIcon({
      className: "aisne-site site-" + site.id,
      html: dot,
      iconSize: [size, size],
      iconAnchor: [size / 2, size / 2],
      popupAnchor: [0, -size / 2],
      tooltipAnchor: [0, -size / 2],
      label: site.label
    });
  }

  function clusterIcon(cluster) {
    var children = cluster.getAllChildMarkers();
    var names = children.map(function (m) {
      return m.options.aisneName;
    });
    var count = children.length;
    var size = count < 10 ? 30 : 36;
    var box = A.text("span", String(count), "aisne-groupe-nombre");
    return new LabelledIcon({
      className: "aisne-groupe",
      html: box,
      iconSize: [size, size],
      label: count + " " + t("sites", "sites") + " : " + names.join(", ") + ". " +
        t("groupeAide", "Entrée pour les afficher.")
    });
  }

  /* Where the keyboard was before a popup opened, to give it back on Escape. */
  var lastFocus = null;

  /* Sites: one labelled marker each, grouped with a count when they touch on screen.
     A click (or Enter) on a group spreads it at every zoom; a click on a site opens its
     own popup. */
  A.sites = function (group, map, sites, options) {
    var clusters = L.markerClusterGroup({
      maxClusterRadius: options.clusterRadius || 24,
      zoomToBoundsOnClick: false,
      spiderfyOnMaxZoom: false,
      showCoverageOnHover: false,
      animate: false,
      spiderfyDistanceMultiplier: 1.6,
      iconCreateFunction: clusterIcon
    });
    sites.forEach(function (site) {
      var marker = L.marker([site.lat, site.lon], {
        icon: siteIcon(site),
        keyboard: true,
        riseOnHover: true,
        aisneName: site.tooltip,
        aisneId: site.id
      });
      marker.bindTooltip(A.text("span", site.tooltip), { direction: "top" });
      marker.bindPopup(A.popupBox(site.tooltip, site.popup), {
        maxWidth: 360,
        autoPanPadding: [20, 20]
      });
      marker.on("keypress", function (e) {
        if (e.originalEvent && (e.originalEvent.key === "Enter" || e.originalEvent.key === " ")) {
          lastFocus = marker;
        }
      });
      marker.on("click", function (e) {
        // A mouse click: remember the marker too, so Escape still goes back to it.
        lastFocus = marker;
        if (e.originalEvent && e.originalEvent.detail === 0) {
          marker.openPopup();
        }
      });
      clusters.addLayer(marker);
    });
    function spread(e) {
      var key = e.originalEvent && e.originalEvent.key;
      if (e.type === "clusterkeypress" && key !== "Enter" && key !== " ") {
        return;
      }
      var cluster = e.layer;
      if (clusters._spiderfied === cluster) {
        return;
      }
      cluster.spiderfy();
      if (e.type === "clusterkeypress") {
        var first = cluster.getAllChildMarkers()[0];
        var el = first && first.getElement();
        if (el) {
          el.focus();
        }
      }
    }
    clusters.on("clusterclick clusterkeypress", spread);
    clusters.on("spiderfied unspiderfied animationend", function () {
      if (A.scheduleDeclutter) {
        A.scheduleDeclutter();
      }
    });
    clusters.addTo(group);
    A.groupeSites = clusters;
    return clusters;
  };

  /* Planner's suggested communes: numbered squares (not sites: no advisor there yet),
     each named for screen readers and reachable by Tab. */
  A.suggestions = function (group, items) {
    items.forEach(function (item) {
      var box = A.text("span", String(item[0]), "aisne-suggestion-numero");
      var marker = L.marker([item[2], item[3]], {
        icon: new LabelledIcon({
          className: "aisne-suggestion",
          html: box,
          iconSize: [26, 26],
          label: item[1]
        }),
        keyboard: true,
        zIndexOffset: 1000
      });
      marker.bindTooltip(A.text("span", item[1]), { direction: "top", offset: [0, -12] });
      marker.addTo(group);
    });
  };

  /* Place names as text with a halo, shown by rank as the zoom grows, with the rule of the
     printed maps: the most important name first, and a name is drawn only where its box
     touches no name already drawn and no marker (site, group, France Services,
     suggestion). Recomputed after every zoom, move, resize and spread of a group. */
  A.places = function (group, map, places, minZoom) {
    if (!map.getPane("aisneLieux")) {
      var pane = map.createPane("aisneLieux");
      pane.style.zIndex = 640;
      pane.style.pointerEvents = "none";
    }
    var markers = places.map(function (p) {
      var label = A.text("span", p[0], "aisne-lieu-texte");
      var icon = L.divIcon({
        className: "aisne-lieu aisne-lieu-" + p[3],
        html: label,
        iconSize: [0, 0]
      });
      var m = L.marker([p[1], p[2]], {
        icon: icon,
        interactive: false,
        keyboard: false,
        pane: "aisneLieux"
      });
      m.rank = p[3];
      m.addTo(group);
      return m;
    });
    A.placeMarkers = markers;
    A.placesMinZoom = minZoom;
    A.placesMap = map;
    if (!map._aisneDeclutter) {
      map._aisneDeclutter = true;
      map.on("zoomend moveend resize layeradd layerremove", A.scheduleDeclutter);
    }
    group.on("add", A.scheduleDeclutter);
    A.scheduleDeclutter();
  };

  /* Boxes of what a name may not cover: every marker icon drawn (the names' own pane is
     not the marker pane) and the map's controls (legends, zoom, layers). */
  function obstacleBoxes(map) {
    var container = map.getContainer();
    return visibleBoxes([
      map.getPanes().markerPane.querySelectorAll(".leaflet-marker-icon"),
      container.querySelectorAll(".leaflet-control")
    ]);
  }

  /* The screen boxes of the elements of some node lists that are drawn. */
  function visibleBoxes(lists) {
    var boxes = [];
    lists.forEach(function (list) {
      for (var i = 0; i < list.length; i++) {
        var r = list[i].getBoundingClientRect();
        if (r.width > 0 && r.height > 0) {
          boxes.push(r);
        }
      }
    });
    return boxes;
  }

  function overlaps(a, b, gap) {
    return a.left < b.right + gap && b.left < a.right + gap &&
      a.top < b.bottom + gap && b.top < a.bottom + gap;
  }

  function shifted(box, dx, dy) {
    return { left: box.left + dx, right: box.right + dx, top: box.top + dy, bottom: box.bottom + dy };
  }

  /* Where a name may go around its point, in order of preference (px from the place
     above its point): just above, above a marker drawn on the point, right, left, below. */
  function candidates(box) {
    var w = box.right - box.left;
    return [[0, 0], [0, -14], [0, -20], [w / 2 + 18, 12], [-(w / 2 + 18), 12], [0, 40]];
  }

  A.declutter = function () {
    var map = A.placesMap;
    var markers = A.placeMarkers || [];
    if (!map || !map._loaded) {
      return;
    }
    var z = map.getZoom();
    var drawn = obstacleBoxes(map);
    var gap = 2;
    var frame = map.getContainer().getBoundingClientRect();
    function inside(box) {
      return box.left >= frame.left && box.right <= frame.right &&
        box.top >= frame.top && box.bottom <= frame.bottom;
    }
    markers.forEach(function (m) {
      var el = m.getElement();
      if (!el) {
        return;
      }
      if (z < A.placesMinZoom[m.rank]) {
        el.style.display = "none";
        return;
      }
      var text = el.firstChild;
      el.style.display = "";
      el.style.visibility = "hidden";
      text.style.transform = "";
      var box = text.getBoundingClientRect();
      var place = null;
      if (box.width > 0) {
        place = candidates(box).find(function (offset) {
          var moved = shifted(box, offset[0], offset[1]);
          return inside(moved) && drawn.every(function (other) {
            return !overlaps(moved, other, gap);
          });
        });
      }
      if (place) {
        // The stylesheet's own translate (-50 %, -135 %), moved by the offset.
        text.style.transform = "translate(calc(-50% + " + place[0] + "px), calc(-135% + " +
          place[1] + "px))";
        el.style.visibility = "";
        drawn.push(shifted(box, place[0], place[1]));
      } else {
        el.style.display = "none";
      }
    });
  };

  var declutterPending = false;
  A.scheduleDeclutter = function () {
    if (declutterPending) {
      return;
    }
    declutterPending = true;
    // After markercluster has redrawn its groups for this zoom or move.
    setTimeout(function () {
      window.requestAnimationFrame(function () {
        declutterPending = false;
        A.declutter();
      });
    }, 0);
  };

  /* A session's first run of the dashboard stops after the map
     (aisnemap.ui.page.start_map_first): once the sites are drawn, the map tells
     Streamlit (a new component value, once per frame), which runs the page again, whole. */
  A.reportDrawn = function () {
    if (A.drawnReported || !window.Streamlit) {
      return;
    }
    A.drawnReported = true;
    setTimeout(function () {
      window.Streamlit.setComponentValue({ dessinee: Date.now() });
    }, 0);
  };

  /* The view fits the territory when the sites are (re)drawn. The frame may get its final
     size after this runs (a map below the fold): fit now and again on the first resize. */
  A.fit = function (map, bounds) {
    map.invalidateSize();
    automatic(map, function () {
      fitUnlessThere(map, bounds);
    });
    map.once("resize", function () {
      automatic(map, function () {
        fitUnlessThere(map, bounds);
      });
    });
    keepViewInLink(map);
  };

  /* The map's view, before its polygons are added (StartView in maps.py): they are
     projected once, at this view. ``options``: Leaflet's fitBounds options (a padding). */
  A.startView = function (map, bounds, options) {
    map.invalidateSize();
    automatic(map, function () {
      map.fitBounds(bounds, Object.assign({}, options, { animate: false }));
    });
  };

  /* fitBounds, unless the map already shows that view (same zoom, centre within a
     pixel): in place, a fit still moves the map (a zero pan), and every path is drawn
     again (clipped to the view). */
  function fitUnlessThere(map, bounds) {
    var box = L.latLngBounds(bounds);
    var zoom = map.getBoundsZoom(box);
    var middle = map.project(box.getSouthWest(), zoom)
      .add(map.project(box.getNorthEast(), zoom))
      .divideBy(2);
    if (zoom === map.getZoom() && middle.distanceTo(map.project(map.getCenter(), zoom)) < 1) {
      return;
    }
    map.fitBounds(box, { animate: false });
  }

  /* The view of a shared link (?vue=zoom/lat/lon): [lat, lon, zoom]. */
  A.view = function (map, view) {
    map.invalidateSize();
    automatic(map, function () {
      map.setView([view[0], view[1]], view[2], { animate: false });
    });
    map.once("resize", function () {
      automatic(map, function () {
        map.setView([view[0], view[1]], view[2], { animate: false });
      });
    });
    keepViewInLink(map);
  };

  /* A move made by the app (a fit), not by the reader: not written in the link. */
  function automatic(map, move) {
    map._aisneAutomatic = true;
    try {
      move();
    } finally {
      map._aisneAutomatic = false;
    }
  }

  /* After the reader zooms or pans, the page's URL says so (?vue=zoom/lat/lon), so that a
     link copied then opens the same view; the other parameters are kept as they are. */
  function keepViewInLink(map) {
    if (map._aisneLink) {
      return;
    }
    map._aisneLink = true;
    map.on("moveend", function () {
      if (map._aisneAutomatic) {
        return;
      }
      try {
        var page = window.parent;
        var url = new URL(page.location.href);
        var c = map.getCenter();
        url.searchParams.set("vue", map.getZoom() + "/" + c.lat.toFixed(4) + "/" + c.lng.toFixed(4));
        page.history.replaceState(page.history.state, "", url.toString());
      } catch {
        /* another origin: the link keeps its fitted view */
      }
    });
  }

  /* A legend drawn by the app as a Leaflet control (a <details> that folds away). Open on
     a wide map, folded on a narrow one; folded while a popup is open (a popup is never
     under a legend) and whenever it would cover a marker, unless the reader opened it
     since the last zoom. */
  A.legends = [];
  A.legend = function (map, spec, position) {
    var legend = L.control({ position: position || "bottomright" });
    legend.onAdd = function () {
      var div = L.DomUtil.create("div", "aisne-legend");
      var box = document.createElement("details");
      box.open = map.getSize().x >= 760;
      var summary = A.text("summary", spec.title);
      summary.addEventListener("click", function () {
        box.aisneByReader = true;
      });
      box.appendChild(summary);
      spec.items.forEach(function (item) {
        var row = document.createElement("div");
        var sw = document.createElement("span");
        sw.className = "sw";
        sw.style.background = item[1];
        if (item[2]) {
          sw.style.backgroundImage = item[2];
        }
        row.appendChild(sw);
        row.appendChild(document.createTextNode(item[0]));
        box.appendChild(row);
      });
      spec.notes.forEach(function (note) {
        box.appendChild(A.text("div", note, "note"));
      });
      div.appendChild(box);
      L.DomEvent.disableScrollPropagation(div);
      legend.box = box;
      return div;
    };
    legend.addTo(map);
    A.legends.push(legend);
    watchLegends(map);
    return legend;
  };

  A.removeLegend = function (legend) {
    legend.remove();
    A.legends = A.legends.filter(function (l) {
      return l !== legend;
    });
  };

  /* The legend of the sites drawn, replaced when the sites are redrawn. */
  A.siteLegend = function (map, spec) {
    if (A.siteLegendControl) {
      A.removeLegend(A.siteLegendControl);
    }
    A.siteLegendControl = spec.items.length ? A.legend(map, spec) : null;
    setTimeout(function () {
      A.foldCoveringLegends(map);
    }, 0);
  };

  /* Fold the open legends that cover a marker (icons in the marker pane) or an area the
     map marks as clickable (``.aisne-cliquable`` paths, e.g. the France page's insets). */
  A.foldCoveringLegends = function (map) {
    var boxes = visibleBoxes([
      map.getPanes().markerPane.querySelectorAll(".leaflet-marker-icon"),
      map.getContainer().querySelectorAll(".aisne-cliquable")
    ]);
    A.legends.forEach(function (legend) {
      var box = legend.box;
      if (!box || !box.open || box.aisneByReader) {
        return;
      }
      var r = box.getBoundingClientRect();
      if (boxes.some(function (b) { return overlaps(r, b, 0); })) {
        box.open = false;
      }
    });
  };

  function watchLegends(map) {
    if (map._aisneLegends) {
      return;
    }
    map._aisneLegends = true;
    map.on("popupopen", function () {
      A.legends.forEach(function (legend) {
        if (legend.box && legend.box.open) {
          legend.box.open = false;
          legend.box.aisneReopen = true;
        }
      });
    });
    map.on("popupclose", function () {
      A.legends.forEach(function (legend) {
        if (legend.box && legend.box.aisneReopen) {
          legend.box.aisneReopen = false;
          legend.box.open = true;
        }
      });
    });
    map.on("zoomstart", function () {
      A.legends.forEach(function (legend) {
        if (legend.box) {
          legend.box.aisneByReader = false;
        }
      });
    });
    map.on("zoomend moveend resize layeradd", function () {
      setTimeout(function () {
        A.foldCoveringLegends(map);
      }, 0);
    });
  }

  /* A legend that lives with an optional layer: shown while the layer is on the map. */
  A.layerLegend = function (group, map, spec) {
    var control = null;
    function show() {
      if (!control) {
        control = A.legend(map, spec, "bottomleft");
      }
    }
    function hide() {
      if (control) {
        A.removeLegend(control);
        control = null;
      }
    }
    group.on("add", show);
    group.on("remove", hide);
    if (map.hasLayer(group)) {
      show();
    }
  };

  /* France Services: small squares marked "FS", named and reachable by the keyboard. */
  A.franceServices = function (group, items) {
    items.forEach(function (item) {
      var box = A.text("span", "FS", "aisne-fs-marque");
      if (item.itinerant) {
        box.classList.add("aisne-fs-itinerant");
      }
      var marker = L.marker([item.lat, item.lon], {
        icon: new LabelledIcon({
          className: "aisne-fs",
          html: box,
          iconSize: [22, 22],
          label: item.label
        }),
        keyboard: true
      });
      marker.bindTooltip(A.text("span", item.label), { direction: "top", offset: [0, -10] });
      if (item.popup && item.popup.length) {
        marker.bindPopup(A.popupBox(item.label, item.popup), {
          maxWidth: 360,
          autoPanPadding: [20, 20]
        });
      }
      marker.addTo(group);
    });
  };

  /* French controls and keyboard behaviour of the whole map (once per map). */
  A.prepare = function (map, textes) {
    Object.assign(A.textes, textes || {});
    document.documentElement.lang = "fr";
    try {
      if (window.frameElement && textes.cadre) {
        window.frameElement.setAttribute("title", textes.cadre);
      }
    } catch {
      /* another origin: the frame keeps its title */
    }
    var container = map.getContainer();
    container.setAttribute("aria-label", t("carte", "Carte"));
    L.control.zoom({
      position: "topleft",
      zoomInTitle: t("zoomPlus", "Zoom avant"),
      zoomOutTitle: t("zoomMoins", "Zoom arrière")
    }).addTo(map);
    // A constant (no text from the data): Leaflet's prefix without its English title.
    map.attributionControl.setPrefix('<a href="https://leafletjs.com" lang="en">Leaflet</a>');
    map.on("popupopen", function (e) {
      var button = e.popup._closeButton;
      if (button) {
        button.setAttribute("aria-label", t("fermer", "Fermer la fiche"));
        button.setAttribute("title", t("fermer", "Fermer la fiche"));
      }
      var content = e.popup.getElement() && e.popup.getElement().querySelector(".aisne-popup");
      if (content && lastFocus && lastFocus.getPopup() === e.popup) {
        content.focus({ preventScroll: true });
      }
    });
    map.on("popupclose", function (e) {
      var source = lastFocus;
      if (source && source.getPopup() === e.popup && source.getElement()) {
        var el = source.getElement();
        setTimeout(function () {
          if (document.activeElement === document.body || e.popup.getElement().contains(document.activeElement)) {
            el.focus({ preventScroll: true });
          }
        }, 0);
      }
    });
    document.addEventListener("keydown", function (e) {
      if (e.key !== "Escape") {
        return;
      }
      if (map._popup && map.hasLayer(map._popup)) {
        var source = lastFocus;
        map.closePopup();
        if (source && source.getElement()) {
          source.getElement().focus({ preventScroll: true });
        }
        e.preventDefault();
      } else if (A.groupeSites && A.groupeSites._spiderfied) {
        var cluster = A.groupeSites._spiderfied;
        A.groupeSites._unspiderfy();
        var el = cluster.getElement && cluster.getElement();
        if (el) {
          el.focus({ preventScroll: true });
        }
        e.preventDefault();
      }
    });
    // The layer switch's toggle says "Layers" in Leaflet: say it in French.
    map.whenReady(function () {
      setTimeout(function () {
        var toggle = container.querySelector(".leaflet-control-layers-toggle");
        if (toggle) {
          toggle.setAttribute("title", t("couches", "Couches de la carte"));
          toggle.setAttribute("aria-label", t("couches", "Couches de la carte"));
        }
      }, 0);
    });
  };
})();

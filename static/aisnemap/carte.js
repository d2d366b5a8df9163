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

  /* Place names as text with a halo, shown by rank as the zoom grows. */
  A.places = function (group, map, places, minZoom) {
    // Above the sites and their groups (markerPane is 600), below tooltips and popups:
    // a name is never hidden by a marker, and its halo keeps the marker readable.
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
    function update() {
      var z = map.getZoom();
      markers.forEach(function (m) {
        var el = m.getElement();
        if (el) {
          el.style.display = z >= minZoom[m.rank] ? "" : "none";
        }
      });
    }
    map.on("zoomend", update);
    group.on("add", update);
    setTimeout(update, 0);
  };

  /* The view fits the territory when the sites are (re)drawn. The frame may get its final
     size after this runs (a map below the fold): fit now and again on the first resize. */
  A.fit = function (map, bounds) {
    map.invalidateSize();
    map.fitBounds(bounds, { animate: false });
    map.once("resize", function () {
      map.fitBounds(bounds, { animate: false });
    });
  };

  /* A legend drawn by the app as a Leaflet control (a <details> that folds away). */
  A.legend = function (map, spec, position) {
    var legend = L.control({ position: position || "bottomright" });
    legend.onAdd = function () {
      var div = L.DomUtil.create("div", "aisne-legend");
      var box = document.createElement("details");
      // Open on a wide map; folded on a narrow one, where it would hide the territory.
      box.open = map.getSize().x >= 760;
      box.appendChild(A.text("summary", spec.title));
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
      return div;
    };
    legend.addTo(map);
    return legend;
  };

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
        control.remove();
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

/*
 * The application page in French (RGAA 8.3 and 8.7): Streamlit writes lang="en" and a few
 * English texts in its widgets that no parameter changes ("Clear all", "Drag and drop
 * files here", "Collapse sidebar"...). This script, run once per browser tab by
 * aisnemap.ui.page.french_page, sets lang="fr" and translates those texts as they appear.
 * The dictionary comes from Python (aisnemap.texts.WIDGET_FRENCH) in window.aisneFr.
 */
(function () {
  "use strict";
  var doc = window.parent && window.parent !== window ? window.parent.document : document;
  var win = doc.defaultView || window;
  var data = window.aisneFr || win.aisneFr || { exact: {}, patterns: [] };
  win.aisneFr = data;
  if (win.__aisneFrActive) {
    return;
  }
  win.__aisneFrActive = true;

  var exact = data.exact;
  var patterns = data.patterns.map(function (p) {
    return [new RegExp(p[0]), p[1]];
  });
  var ATTRIBUTES = ["aria-label", "title", "placeholder", "aria-placeholder"];

  function translate(text) {
    if (!text) {
      return null;
    }
    var trimmed = text.trim();
    if (Object.prototype.hasOwnProperty.call(exact, trimmed)) {
      return text.replace(trimmed, exact[trimmed]);
    }
    for (var i = 0; i < patterns.length; i++) {
      if (patterns[i][0].test(trimmed)) {
        return text.replace(trimmed, trimmed.replace(patterns[i][0], patterns[i][1]));
      }
    }
    return null;
  }

  /* Streamlit draws its icons as words in an icon font (« keyboard_arrow_right »,
     « check »): the glyph is seen, the word must not be read out nor join an accessible
     name (« keyboard_arrow_right Définitions »). */
  var ICONS = '[data-testid="stIconMaterial"], .material-symbols-rounded, .material-icons';

  function hideIconWords(root) {
    var icons = root.matches && root.matches(ICONS) ? [root] : [];
    if (root.querySelectorAll) {
      icons = icons.concat(Array.prototype.slice.call(root.querySelectorAll(ICONS)));
    }
    for (var i = 0; i < icons.length; i++) {
      if (icons[i].getAttribute("aria-hidden") !== "true") {
        icons[i].setAttribute("aria-hidden", "true");
        icons[i].setAttribute("translate", "no");
      }
    }
  }

  function fixElement(el) {
    for (var i = 0; i < ATTRIBUTES.length; i++) {
      var value = el.getAttribute(ATTRIBUTES[i]);
      var french = translate(value);
      if (french !== null && french !== value) {
        el.setAttribute(ATTRIBUTES[i], french);
      }
    }
  }

  function fixText(node) {
    var french = translate(node.nodeValue);
    if (french !== null && french !== node.nodeValue) {
      node.nodeValue = french;
    }
  }

  function walk(root) {
    if (root.nodeType === 3) {
      fixText(root);
      return;
    }
    if (root.nodeType !== 1) {
      return;
    }
    fixElement(root);
    hideIconWords(root);
    var all = root.querySelectorAll("*");
    for (var i = 0; i < all.length; i++) {
      fixElement(all[i]);
    }
    var walker = doc.createTreeWalker(root, 4 /* text nodes */);
    var node;
    while ((node = walker.nextNode())) {
      fixText(node);
    }
  }

  /* A table wider than the page scrolls sideways: its scrolling box takes the keyboard
     focus and is named, so it can be scrolled without a mouse (axe
     scrollable-region-focusable, RGAA 7.3). */
  function fixScrollables() {
    var boxes = doc.querySelectorAll('[data-testid="stTable"] > div');
    for (var i = 0; i < boxes.length; i++) {
      var box = boxes[i];
      var scrolls = box.scrollWidth > box.clientWidth + 1 || box.scrollHeight > box.clientHeight + 1;
      if (scrolls && !box.hasAttribute("tabindex")) {
        box.setAttribute("tabindex", "0");
        box.setAttribute("role", "region");
        box.setAttribute("aria-label", data.scrollLabel || "Tableau : faites défiler");
      }
    }
  }

  function fixLang() {
    if (doc.documentElement.lang !== "fr") {
      doc.documentElement.lang = "fr";
    }
  }

  fixLang();
  walk(doc.body);
  fixScrollables();
  var pending = false;
  new win.MutationObserver(function (mutations) {
    fixLang();
    if (!pending) {
      pending = true;
      win.requestAnimationFrame(function () {
        pending = false;
        fixScrollables();
      });
    }
    mutations.forEach(function (m) {
      if (m.type === "childList") {
        m.addedNodes.forEach(walk);
      } else if (m.type === "characterData") {
        fixText(m.target);
      } else if (m.type === "attributes") {
        fixElement(m.target);
      }
    });
  }).observe(doc.documentElement, {
    childList: true,
    subtree: true,
    characterData: true,
    attributes: true,
    attributeFilter: ATTRIBUTES.concat(["lang"])
  });
})();

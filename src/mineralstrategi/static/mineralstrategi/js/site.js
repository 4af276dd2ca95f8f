// Page tools: print and listen (speech synthesis of the main content), shown only where they work.
(function () {
  "use strict";

  function button(action) {
    return document.querySelector('[data-action="' + action + '"]');
  }

  function setUpPrint() {
    var print = button("print");
    if (!print || typeof window.print !== "function") return;
    print.hidden = false;
    print.addEventListener("click", function () { window.print(); });
  }

  // What is read aloud: the page's own content, without its navigation (breadcrumbs, contents
  // lists, sub-navigation), forms, drawings and text meant for screen readers only.
  var NOT_READ = "script, style, [hidden], .visually-hidden, form, nav, .breadcrumbs, .toc, " +
    "svg, [aria-hidden='true'], [data-not-read]";

  function mainText() {
    var main = document.getElementById("main");
    var clone = main.cloneNode(true);
    clone.querySelectorAll(NOT_READ).forEach(function (el) { el.remove(); });
    return clone.textContent.replace(/\s+/g, " ").trim();
  }

  function normalised(voice) { return (voice.lang || "").toLowerCase().replace("_", "-"); }

  // The page's language decides the voice: a voice of exactly that locale (sv-SE, en-GB) if the
  // browser has one, else any voice of the language; null when it has none of the language.
  function chooseVoice(voices, lang, locale) {
    var exact = voices.filter(function (v) { return normalised(v) === locale.toLowerCase(); });
    if (exact.length) return exact[0];
    var same = voices.filter(function (v) { return normalised(v).split("-")[0] === lang; });
    return same.length ? same[0] : null;
  }

  // The browser's voices, which some browsers load only after the page: wait for them a moment.
  function withVoices(synth, done) {
    var voices = synth.getVoices ? synth.getVoices() : [];
    if (voices.length) { done(voices); return; }
    var finished = false;
    function finish() {
      if (finished) return;
      finished = true;
      done(synth.getVoices ? synth.getVoices() : []);
    }
    if (synth.addEventListener) synth.addEventListener("voiceschanged", finish);
    window.setTimeout(finish, 1500);
  }

  function setUpListen() {
    var listen = button("listen"), pause = button("pause"), stop = button("stop");
    var status = document.querySelector("[data-listen-status]");
    var synth = window.speechSynthesis;
    if (!listen || !synth || typeof window.SpeechSynthesisUtterance !== "function") return;

    function say(message) {
      if (!status) return;
      status.textContent = message || "";
      status.hidden = !message;
    }

    function speaking(state) {
      listen.setAttribute("aria-pressed", state ? "true" : "false");
      pause.hidden = !state;
      stop.hidden = !state;
      if (!state) pause.setAttribute("aria-pressed", "false");
    }

    // A browser without any voice would show the controls and say nothing: no button then.
    withVoices(synth, function (voices) {
      if (!voices.length) return;
      listen.hidden = false;
      listen.addEventListener("click", function () {
        if (synth.paused) { synth.resume(); return; }
        synth.cancel();
        var lang = (document.documentElement.lang || "sv").split("-")[0];
        var utterance = new window.SpeechSynthesisUtterance(mainText());
        utterance.lang = lang === "sv" ? "sv-SE" : "en-GB";
        var voice = chooseVoice(synth.getVoices() || voices, lang, utterance.lang);
        if (voice) {
          utterance.voice = voice;
          say("");
        } else {
          say(listen.dataset.noVoice);
        }
        utterance.onend = function () { speaking(false); };
        utterance.onerror = function () { speaking(false); say(listen.dataset.failed); };
        speaking(true);
        synth.speak(utterance);
        // Some browsers accept the text and never start: then say so and take the controls away.
        window.setTimeout(function () {
          if (!synth.speaking && !synth.paused && listen.getAttribute("aria-pressed") === "true") {
            speaking(false);
            say(listen.dataset.failed);
          }
        }, 3000);
      });
    });
    pause.addEventListener("click", function () {
      if (synth.paused) { synth.resume(); } else { synth.pause(); }
      pause.setAttribute("aria-pressed", synth.paused ? "true" : "false");
    });
    stop.addEventListener("click", function () { synth.cancel(); speaking(false); });
  }

  function setUpSkipLink() {
    var link = document.querySelector(".skip-link");
    if (!link) return;
    link.addEventListener("click", function (event) {
      var target = document.getElementById("main");
      if (!target) return;
      event.preventDefault();
      target.focus();
      target.scrollIntoView();
    });
  }

  // A table wider than the screen scrolls sideways in its .table-scroll box. A box that scrolls
  // is made reachable by keyboard and named after its table's caption (WCAG 2.1.1); one that
  // fits is left out of the tab order. Boxes the page already made focusable are left alone.
  function setUpScrollingTables() {
    var boxes = Array.prototype.filter.call(
      document.querySelectorAll(".table-scroll"),
      function (box) { return !box.hasAttribute("tabindex"); }
    );
    if (!boxes.length) return;
    var label = document.documentElement.lang === "sv" ? "Tabell" : "Table";
    function update() {
      boxes.forEach(function (box) {
        if (box.scrollWidth > box.clientWidth + 1) {
          var caption = box.querySelector("caption");
          box.setAttribute("tabindex", "0");
          box.setAttribute("role", "region");
          box.setAttribute("aria-label", (caption && caption.textContent.trim()) || label);
          box.dataset.scrolls = "";
        } else if ("scrolls" in box.dataset) {
          ["tabindex", "role", "aria-label", "data-scrolls"].forEach(function (name) {
            box.removeAttribute(name);
          });
        }
      });
    }
    update();
    window.addEventListener("resize", update);
  }

  // The site map zooms with its buttons (shown only where this runs) and moves by dragging: both
  // change the drawing's viewBox, so the page still works as a plain SVG without JavaScript.
  function setUpMapZoom() {
    var controls = document.querySelector(".map-zoom");
    var map = document.querySelector("svg.site-map");
    if (!controls || !map || !map.viewBox || !map.viewBox.baseVal) return;
    var whole = map.viewBox.baseVal;
    var start = { x: whole.x, y: whole.y, width: whole.width, height: whole.height };
    var view = Object.assign({}, start);
    function show() {
      map.setAttribute("viewBox", [view.x, view.y, view.width, view.height].join(" "));
    }
    function zoom(factor) {
      var width = Math.min(start.width, Math.max(start.width / 16, view.width / factor));
      var height = width * start.height / start.width;
      view.x += (view.width - width) / 2;
      view.y += (view.height - height) / 2;
      view.width = width;
      view.height = height;
      show();
    }
    controls.addEventListener("click", function (event) {
      var action = event.target.getAttribute("data-zoom");
      if (action === "in") zoom(1.5);
      if (action === "out") zoom(1 / 1.5);
      if (action === "reset") { view = Object.assign({}, start); show(); }
    });
    var dragging = null;
    map.addEventListener("pointerdown", function (event) {
      if (event.target.closest("a")) return;
      dragging = { x: event.clientX, y: event.clientY, view: Object.assign({}, view) };
      map.classList.add("dragging");
      map.setPointerCapture(event.pointerId);
    });
    map.addEventListener("pointermove", function (event) {
      if (!dragging) return;
      var scale = view.width / map.getBoundingClientRect().width;
      view.x = dragging.view.x - (event.clientX - dragging.x) * scale;
      view.y = dragging.view.y - (event.clientY - dragging.y) * scale;
      show();
    });
    ["pointerup", "pointercancel"].forEach(function (name) {
      map.addEventListener(name, function () { dragging = null; map.classList.remove("dragging"); });
    });
    map.classList.add("zoomable");
    controls.hidden = false;
  }

  // A printout shows every folded section: those closed are opened for the print and closed
  // again after it (print.css does the same where the browser can style a fold's content).
  function setUpPrintUnfolds() {
    var opened = [];
    window.addEventListener("beforeprint", function () {
      opened = Array.prototype.filter.call(document.querySelectorAll("main details"), function (d) {
        return !d.open;
      });
      opened.forEach(function (d) { d.open = true; });
    });
    window.addEventListener("afterprint", function () {
      opened.forEach(function (d) { d.open = false; });
      opened = [];
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    setUpPrintUnfolds();
    setUpMapZoom();
    setUpPrint();
    setUpListen();
    setUpSkipLink();
    setUpScrollingTables();
  });
})();

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

  function mainText() {
    var main = document.getElementById("main");
    var clone = main.cloneNode(true);
    clone.querySelectorAll("script, style, [hidden], .visually-hidden, form").forEach(function (el) { el.remove(); });
    return clone.textContent.replace(/\s+/g, " ").trim();
  }

  function chooseVoice(synth, lang) {
    var voices = synth.getVoices ? synth.getVoices() : [];
    var exact = voices.filter(function (v) { return v.lang && v.lang.toLowerCase().indexOf(lang) === 0; });
    return exact.length ? exact[0] : null;
  }

  function setUpListen() {
    var listen = button("listen"), pause = button("pause"), stop = button("stop");
    var synth = window.speechSynthesis;
    if (!listen || !synth || typeof window.SpeechSynthesisUtterance !== "function") return;
    listen.hidden = false;

    function speaking(state) {
      listen.setAttribute("aria-pressed", state ? "true" : "false");
      pause.hidden = !state;
      stop.hidden = !state;
    }

    listen.addEventListener("click", function () {
      if (synth.paused) { synth.resume(); return; }
      synth.cancel();
      var lang = document.documentElement.lang || "sv";
      var utterance = new window.SpeechSynthesisUtterance(mainText());
      utterance.lang = lang === "sv" ? "sv-SE" : "en-GB";
      var voice = chooseVoice(synth, lang);
      if (voice) utterance.voice = voice;
      utterance.onend = function () { speaking(false); };
      speaking(true);
      synth.speak(utterance);
    });
    pause.addEventListener("click", function () {
      if (synth.paused) { synth.resume(); } else { synth.pause(); }
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

  document.addEventListener("DOMContentLoaded", function () {
    setUpPrint();
    setUpListen();
    setUpSkipLink();
  });
})();

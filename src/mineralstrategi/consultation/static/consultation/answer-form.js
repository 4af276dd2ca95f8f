// The answer form, enhanced (it works without this file): the error summary takes the focus when
// the page shows it; its links, and the section list's, open the section they lead to and put the
// focus on the field (GOV.UK design system's error summary).
(function () {
  "use strict";

  function openAround(element) {
    for (var node = element; node; node = node.parentElement) {
      if (node.tagName === "DETAILS") node.open = true;
    }
  }

  function targetOf(link) {
    var href = link.getAttribute("href") || "";
    var hash = href.indexOf("#");
    if (hash === -1) return null;
    var path = href.slice(0, hash).split("?")[0];
    if (path && path !== window.location.pathname) return null;
    return document.getElementById(decodeURIComponent(href.slice(hash + 1)));
  }

  function labelFor(field) {
    if (!field.id) return null;
    var legend = field.closest("fieldset") && field.closest("fieldset").querySelector("legend");
    var label = document.querySelector('label[for="' + field.id + '"]');
    return label || legend;
  }

  function focusField(target) {
    openAround(target);
    if (target.tagName === "DETAILS") {
      target.querySelector("summary").focus();
      target.scrollIntoView();
      return;
    }
    var shown = labelFor(target) || target;
    shown.scrollIntoView();
    target.focus({ preventScroll: true });
  }

  document.addEventListener("click", function (event) {
    var link = event.target.closest("a");
    if (!link || !link.closest(".error-summary, .answer-progress")) return;
    var target = targetOf(link);
    if (!target) return;
    event.preventDefault();
    focusField(target);
    if (window.history && window.history.replaceState) {
      window.history.replaceState(null, "", "#" + target.id);
    }
  });

  function openFromHash() {
    if (!window.location.hash) return;
    var target = document.getElementById(decodeURIComponent(window.location.hash.slice(1)));
    if (target) openAround(target);
  }

  window.addEventListener("hashchange", openFromHash);
  document.addEventListener("DOMContentLoaded", function () {
    var summary = document.querySelector("[data-error-summary]");
    if (summary) {
      summary.focus();
    } else {
      openFromHash();
    }
  });
})();

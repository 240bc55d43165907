// The engineers' submission page: a jump link (#phases, #changes, ...) lands below the
// sticky actions bar. Its height changes with the actions offered and when it folds, so
// a fixed scroll-margin left headings under it (issue 20).
(function () {
  "use strict";
  function pad() {
    var bar = document.querySelector(".review-actions");
    if (!bar) return;
    document.documentElement.style.scrollPaddingTop = (bar.offsetHeight + 12) + "px";
    document.documentElement.classList.add("jump-padded");
  }
  document.addEventListener("DOMContentLoaded", function () {
    pad();
    var details = document.querySelector(".review-actions details");
    if (details) details.addEventListener("toggle", pad);
    window.addEventListener("resize", pad);
    if (location.hash) {
      var target = document.getElementById(location.hash.slice(1));
      if (target) target.scrollIntoView();
    }
  });
})();

/* The review queue: a header box ticks or clears every row of the page (no inline script: the CSP forbids it). */
(function () {
  "use strict";
  document.addEventListener("change", function (event) {
    var all = event.target.closest("[data-check-all]");
    if (!all) return;
    var form = all.closest("form");
    var name = all.getAttribute("data-check-all");
    form.querySelectorAll('input[type=checkbox][name="' + name + '"]').forEach(function (box) {
      box.checked = all.checked;
    });
  });
})();

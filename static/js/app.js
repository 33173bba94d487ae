/* Behaviour shared by every page, without inline scripts (the Content-Security-Policy forbids them). */
(function () {
  "use strict";
  document.addEventListener("click", function (event) {
    var target = event.target.closest("[data-action]");
    if (!target) return;
    if (target.getAttribute("data-action") === "print") {
      event.preventDefault();
      window.print();
    }
  });
})();

/* Behaviour shared by every page, without inline scripts (the Content-Security-Policy forbids them). */
(function () {
  "use strict";
  /* A form marked data-confirm asks before it is sent (a step that deletes, such as undoing an import): the text
     of the attribute is the question; "取消" sends nothing. Registered first, so a form sent once is not disabled
     by an answer of no. */
  document.addEventListener("submit", function (event) {
    var form = event.target;
    var question = form.getAttribute("data-confirm");
    if (question && !window.confirm(question)) event.preventDefault();
  });
  /* A <select> marked data-submit-on-change sends its form as soon as a choice is made (the campaign switcher's long
     list); its form's own button stays for a browser without this script. */
  document.addEventListener("change", function (event) {
    var select = event.target;
    if (select.matches && select.matches("select[data-submit-on-change]") && select.form) select.form.submit();
  });
  /* A form marked data-submit-once is sent once: its buttons are disabled as it goes (a double tap on a phone sent
     an import's confirm twice). Disabled after the submit event, so that the pressed button's name and value still
     go with the form; enabled again if the browser shows the page back from its cache. */
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (event.defaultPrevented || !form.hasAttribute("data-submit-once")) return;
    setTimeout(function () {
      form.querySelectorAll("button[type=submit]:not([disabled])").forEach(function (button) {
        button.disabled = true;
        button.setAttribute("data-sent", "");
      });
    }, 0);
  });
  window.addEventListener("pageshow", function (event) {
    if (!event.persisted) return;
    document.querySelectorAll("button[data-sent]").forEach(function (button) {
      button.disabled = false;
      button.removeAttribute("data-sent");
    });
  });

  document.addEventListener("click", function (event) {
    var target = event.target.closest("[data-action]");
    if (!target) return;
    if (target.getAttribute("data-action") === "print") {
      event.preventDefault();
      window.print();
    }
  });

  /* Boxes that scroll sideways (a wide table on a phone, a row of tabs) say so: data-overflow lists the sides where
     more is hidden ("start", "end"), and app.css fades that side. A row of tabs also brings the current tab into
     view. */
  var SCROLLERS = ".table-responsive, [data-scroll-hint]";

  function mark(box) {
    var more = [];
    if (box.scrollLeft > 1) more.push("start");
    if (box.scrollLeft + box.clientWidth < box.scrollWidth - 1) more.push("end");
    var value = more.join(" ");
    if (value) box.setAttribute("data-overflow", value);
    else box.removeAttribute("data-overflow");
  }

  function markAll() {
    document.querySelectorAll(SCROLLERS).forEach(mark);
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("[data-scroll-hint]").forEach(function (box) {
      var active = box.querySelector(".active");
      if (!active) return;
      var a = active.getBoundingClientRect(), b = box.getBoundingClientRect();
      if (a.left < b.left || a.right > b.right) box.scrollLeft += a.left + a.width / 2 - (b.left + b.width / 2);
    });
    var watcher = window.ResizeObserver ? new ResizeObserver(markAll) : null;  // a table filled in later
    document.querySelectorAll(SCROLLERS).forEach(function (box) {
      box.addEventListener("scroll", function () { mark(box); }, { passive: true });
      if (watcher) {
        watcher.observe(box);
        if (box.firstElementChild) watcher.observe(box.firstElementChild);
      }
    });
    markAll();
  });
  window.addEventListener("load", markAll); // images and fonts change widths
  window.addEventListener("resize", markAll);
})();

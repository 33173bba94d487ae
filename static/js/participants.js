/* Who takes part in a campaign (templates/campaign/_participants_fieldset.html): the list of mines and enterprises
   shows only while "选定的煤矿和主体企业" is chosen, and an enterprise ticked brings all its mines in — they show
   ticked and fixed (the enterprise is what is sent); untick it and each mine is as it was. Without this script the
   page still works: the list is always shown and the service reads an enterprise the same way. */
(function () {
  "use strict";

  function sync(box) {
    var chosen = box.querySelector("input[name=covers_all_units][value=chosen]");
    var list = box.querySelector("[data-participant-list]");
    if (chosen && list) list.hidden = !chosen.checked;
    box.querySelectorAll("[data-enterprise]").forEach(function (enterprise) {
      box.querySelectorAll('[data-mine-of="' + enterprise.value + '"]').forEach(function (mine) {
        if (enterprise.checked) {
          if (!mine.disabled) mine.setAttribute("data-own", mine.checked ? "1" : "");
          mine.checked = true;
          mine.disabled = true;
        } else if (mine.disabled) {
          mine.disabled = false;
          mine.checked = mine.getAttribute("data-own") === "1";
        }
      });
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("[data-participants]").forEach(function (box) {
      box.addEventListener("change", function () { sync(box); });
      sync(box);
    });
  });
})();

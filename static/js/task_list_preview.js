/* The task list's preview (campaign/task_list_preview.html): split a measure into lettered items by picking its
   sentences or adding lines, remove an item; the letters (a, b, c …) follow the order. No inline script (CSP). */
(function () {
  "use strict";
  var template = document.getElementById("task-item-template");
  if (!template) return;

  function letters(measure) {
    measure.querySelectorAll("[data-item] [data-letter]").forEach(function (badge, index) {
      badge.textContent = String.fromCharCode(97 + index);
    });
  }

  function addItem(measure, text) {
    var k = parseInt(measure.getAttribute("data-next"), 10) || 1;
    measure.setAttribute("data-next", String(k + 1));
    var html = template.innerHTML
      .split("__S__").join(measure.getAttribute("data-s"))
      .split("__M__").join(measure.getAttribute("data-m"))
      .split("__K__").join(String(k));
    var holder = document.createElement("div");
    holder.innerHTML = html.trim();
    var row = holder.firstElementChild;
    var where = measure.querySelector('input[name$="-where"]');
    row.querySelector('input[name$="-where"]').value = where ? where.value : "";
    row.querySelector("textarea").value = text || "";
    measure.querySelector("[data-items]").appendChild(row);
    letters(measure);
    return row;
  }

  function isWhole(measure, row) {
    var whole = measure.querySelector('input[name$="-text"]');
    return whole && row.querySelector("textarea").value.trim() === whole.value.trim();
  }

  document.addEventListener("click", function (event) {
    var button = event.target.closest("[data-add-item], [data-remove-item], [data-sentence], [data-split-sentences]");
    if (!button) return;
    var measure = button.closest("[data-measure]");
    if (!measure) return;
    var rows = measure.querySelectorAll("[data-items] [data-item]");
    if (button.hasAttribute("data-add-item")) {
      addItem(measure, "").querySelector("textarea").focus();
    } else if (button.hasAttribute("data-remove-item")) {
      button.closest("[data-item]").remove();
      letters(measure);
    } else if (button.hasAttribute("data-sentence")) {
      // The first sentence picked replaces the measure's whole text (the item it was before being split).
      if (rows.length === 1 && isWhole(measure, rows[0])) rows[0].remove();
      addItem(measure, button.textContent.trim());
      button.classList.add("active");
    } else if (button.hasAttribute("data-split-sentences")) {
      rows.forEach(function (row) { row.remove(); });
      measure.querySelectorAll("[data-sentence]").forEach(function (sentence) {
        addItem(measure, sentence.textContent.trim());
      });
    }
  });

  document.querySelectorAll("[data-measure]").forEach(letters);
})();

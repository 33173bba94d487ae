/* Batch selection on a ledger page: “全选本页” ticks every row of the page for the form it names, and the bar says
   how many are ticked. Without this file the checkboxes and buttons still work (the form sends the ticked ids). */
(function () {
  "use strict";
  function boxes(formId) {
    return Array.prototype.slice.call(document.querySelectorAll('input[name="ids"][form="' + formId + '"]'));
  }
  function refresh(form) {
    var ticked = boxes(form.id).filter(function (b) { return b.checked; }).length;
    var count = form.querySelector("[data-batch-count]");
    if (count) count.textContent = ticked ? "已选 " + ticked + " 条" : "勾选本页的记录后可批量处理";
    Array.prototype.forEach.call(form.querySelectorAll("[data-batch-action]"), function (button) {
      button.disabled = ticked === 0;
    });
    var all = document.querySelector('[data-select-all="' + form.id + '"]');
    if (all) {
      var total = boxes(form.id).length;
      all.checked = total > 0 && ticked === total;
      all.indeterminate = ticked > 0 && ticked < total;
    }
  }
  Array.prototype.forEach.call(document.querySelectorAll("form[data-batch]"), function (form) {
    refresh(form);
    document.addEventListener("change", function (event) {
      var target = event.target;
      if (target.getAttribute("data-select-all") === form.id) {
        boxes(form.id).forEach(function (b) { b.checked = target.checked; });
      }
      if (target.getAttribute("data-select-all") === form.id || target.getAttribute("form") === form.id) refresh(form);
    });
  });
})();

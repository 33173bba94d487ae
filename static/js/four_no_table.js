/* The 四无 table beside its chart: one row per mine, met or not, with the reason. */
(function () {
  "use strict";
  var table = document.querySelector("[data-four-no]");
  var source = document.querySelector("[data-charts-url]");
  if (!table || !source) return;
  fetch(source.getAttribute("data-charts-url"), { credentials: "same-origin" })
    .then(function (r) { return r.json(); })
    .then(function (data) {
      var head = table.createTHead().insertRow();
      ["煤矿", "“四无”", "原因"].forEach(function (t) { var th = document.createElement("th"); th.textContent = t; head.appendChild(th); });
      var body = table.createTBody();
      (data.four_no || []).forEach(function (row) {
        var tr = body.insertRow();
        tr.insertCell().textContent = row.mine;
        var cell = tr.insertCell();
        cell.textContent = row.met ? "实现" : "未实现";
        cell.className = row.met ? "text-success" : "text-danger";
        tr.insertCell().textContent = row.reasons || "—";
      });
    });
})();

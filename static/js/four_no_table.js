/* The 四无 goals beside their chart: one row per mine, met or not, with the reason; or, for a user who sees one
   mine, that mine's answer in words (a donut or a table of one compares nothing). */
(function () {
  "use strict";
  var table = document.querySelector("[data-four-no]");
  var single = document.querySelector("[data-four-no-single]");
  var source = document.querySelector("[data-charts-url]");
  if ((!table && !single) || !source) return;

  function fillTable(rows) {
    var head = table.createTHead().insertRow();
    ["煤矿", "“四无”", "原因"].forEach(function (t) { var th = document.createElement("th"); th.className = "text-nowrap"; th.textContent = t; head.appendChild(th); });
    var body = table.createTBody();
    rows.forEach(function (row) {
      var tr = body.insertRow();
      tr.insertCell().textContent = row.mine;
      var cell = tr.insertCell();
      cell.textContent = row.met ? "实现" : "未实现";
      cell.className = row.met ? "text-success text-nowrap" : "text-danger text-nowrap";
      tr.insertCell().textContent = row.reasons || "—";
    });
  }

  function fillSingle(rows) {
    single.textContent = "";
    var row = rows[0];
    var status = document.createElement("div");
    status.className = "fs-4 fw-semibold " + (row && row.met ? "text-success" : "text-danger");
    status.setAttribute("data-testid", "four-no-status");
    status.textContent = !row ? "暂无数据" : row.met ? "已实现“四无”" : "未实现“四无”";
    single.appendChild(status);
    var note = document.createElement("p");
    note.className = "mb-0 mt-2";
    note.textContent = !row ? "" : row.met ? "本期专项整治中无亡人事故、无工伤事故、无重大隐患、无“三违”。" : "原因：" + row.reasons + "。";
    single.appendChild(note);
  }

  fetch(source.getAttribute("data-charts-url"), { credentials: "same-origin" })
    .then(function (r) { return r.json(); })
    .then(function (data) {
      var rows = data.four_no || [];
      if (table) fillTable(rows);
      if (single) fillSingle(rows);
    });
})();

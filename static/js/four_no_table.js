/* The 四无 goals beside their chart: one row per mine, met or not, with the reason; or, for a user who sees one
   mine, that mine's answer in words (a donut or a table of one compares nothing). */
(function () {
  "use strict";
  var table = document.querySelector("[data-four-no]");
  var single = document.querySelector("[data-four-no-single]");
  var source = document.querySelector("[data-charts-url]");
  if ((!table && !single) || !source) return;

  var LABELS = { met: "实现", not_met: "未实现", unreported: "未报" };
  var CLASSES = { met: "text-success", not_met: "text-danger", unreported: "text-secondary" };
  function statusOf(row) { return row.status || (row.met ? "met" : "not_met"); }

  function fillTable(rows) {
    var head = table.createTHead().insertRow();
    ["煤矿", "“四无”", "原因"].forEach(function (t) { var th = document.createElement("th"); th.className = "text-nowrap"; th.textContent = t; head.appendChild(th); });
    var body = table.createTBody();
    rows.forEach(function (row) {
      var tr = body.insertRow();
      tr.insertCell().textContent = row.mine;
      var cell = tr.insertCell();
      cell.textContent = LABELS[statusOf(row)];
      cell.className = CLASSES[statusOf(row)] + " text-nowrap";
      tr.insertCell().textContent = row.reasons || "—";
    });
  }

  function fillSingle(rows) {
    single.textContent = "";
    var row = rows[0];
    var status = document.createElement("div");
    status.className = "fs-4 fw-semibold " + (row ? CLASSES[statusOf(row)] : "text-secondary");
    status.setAttribute("data-testid", "four-no-status");
    status.textContent = !row ? "暂无数据" : { met: "已实现“四无”", not_met: "未实现“四无”", unreported: "月度报告未报，“四无”无法确认" }[statusOf(row)];
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

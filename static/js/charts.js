/* Renders the campaign charts with ECharts from the JSON of /dashboard/data/ (or json_script on the page).
   Every chart lives in an element with data-chart="<name>"; missing elements are skipped. */
(function () {
  "use strict";
  var instances = [];
  var FONT = '"PingFang SC","Microsoft YaHei","Noto Sans CJK SC",sans-serif';
  var COLORS = ["#0d6efd", "#dc3545", "#ffc107", "#198754", "#6f42c1", "#20c997", "#fd7e14", "#6c757d"];

  function draw(name, option, dark) {
    var el = document.querySelector('[data-chart="' + name + '"]');
    if (!el || !option) return;
    var chart = echarts.getInstanceByDom(el) || echarts.init(el, dark ? "dark" : null, { renderer: "svg" });
    option.color = option.color || COLORS;
    option.textStyle = { fontFamily: FONT };
    option.backgroundColor = "transparent";
    option.animation = false;
    chart.setOption(option, true);
    if (instances.indexOf(chart) < 0) instances.push(chart);
  }

  function dayNumber(start, iso) {
    return Math.round((new Date(iso) - new Date(start)) / 86400000);
  }
  function dateAt(start, n) {
    var d = new Date(start);
    d.setDate(d.getDate() + n);
    return (d.getMonth() + 1) + "/" + d.getDate();
  }

  var builders = {
    timeline: function (t) {
      var start = t.starts_on;
      var names = t.phases.map(function (p) { return p.name; }).reverse();
      var phases = t.phases.slice().reverse();
      return {
        grid: { left: 120, right: 30, top: 30, bottom: 30 },
        tooltip: { trigger: "item", formatter: function (p) { var ph = phases[p.dataIndex]; return ph.name + "<br>" + ph.starts_on + " 至 " + ph.ends_on; } },
        xAxis: { type: "value", min: 0, max: dayNumber(start, t.ends_on) + 1, axisLabel: { formatter: function (v) { return dateAt(start, v); } } },
        yAxis: { type: "category", data: names },
        series: [
          { type: "bar", stack: "t", itemStyle: { color: "transparent" }, data: phases.map(function (p) { return dayNumber(start, p.starts_on); }), tooltip: { show: false } },
          {
            type: "bar", stack: "t", name: "阶段", barWidth: 18,
            data: phases.map(function (p) { return dayNumber(start, p.ends_on) - dayNumber(start, p.starts_on) + 1; }),
            markLine: {
              symbol: "none",
              data: [{ xAxis: dayNumber(start, t.today), name: "今天", lineStyle: { color: "#dc3545", width: 2 }, label: { formatter: "今天" } }]
                .concat(t.deadlines.map(function (d) { return { xAxis: dayNumber(start, d.due_on) + 1, name: d.name, lineStyle: { color: "#6c757d", type: "dashed" }, label: { formatter: d.name, fontSize: 10, rotate: 0 } }; }))
            }
          }
        ]
      };
    },
    hazards_weekly: function (h) {
      return {
        tooltip: { trigger: "axis" }, legend: { data: ["累计排查", "累计销号"] },
        grid: { left: 50, right: 20, top: 40, bottom: 30 },
        xAxis: { type: "category", data: h.weeks, name: "周" }, yAxis: { type: "value", name: "项" },
        series: [{ name: "累计排查", type: "line", data: h.found, areaStyle: { opacity: 0.1 } }, { name: "累计销号", type: "line", data: h.closed, areaStyle: { opacity: 0.1 } }]
      };
    },
    by_enterprise: function (rows) {
      return {
        tooltip: { trigger: "axis" }, legend: { data: ["整改率（%）", "逾期（项）"] },
        grid: { left: 50, right: 50, top: 40, bottom: 60 },
        xAxis: { type: "category", data: rows.map(function (r) { return r.enterprise; }), axisLabel: { interval: 0, rotate: rows.length > 4 ? 20 : 0 } },
        yAxis: [{ type: "value", name: "%", max: 100 }, { type: "value", name: "项" }],
        series: [
          { name: "整改率（%）", type: "bar", data: rows.map(function (r) { return r.rate; }), label: { show: true, position: "top" } },
          { name: "逾期（项）", type: "line", yAxisIndex: 1, data: rows.map(function (r) { return r.overdue; }) }
        ]
      };
    },
    violations_monthly: function (v) {
      return {
        tooltip: { trigger: "axis" }, legend: { data: v.series.map(function (s) { return s.type; }) },
        grid: { left: 40, right: 20, top: 40, bottom: 30 },
        xAxis: { type: "category", data: v.months }, yAxis: { type: "value", name: "人次" },
        series: v.series.map(function (s) { return { name: s.type, type: "bar", stack: "v", data: s.data }; })
      };
    },
    on_time: function (rows) {
      return {
        tooltip: { trigger: "axis" }, legend: { data: ["按期", "逾期", "未报"] },
        grid: { left: 40, right: 20, top: 40, bottom: 60 },
        xAxis: { type: "category", data: rows.map(function (r) { return r.deadline + "\n按期率" + r.rate + "%"; }) },
        yAxis: { type: "value", name: "单位" },
        color: ["#198754", "#ffc107", "#dc3545"],
        series: [
          { name: "按期", type: "bar", stack: "s", data: rows.map(function (r) { return r.on_time; }) },
          { name: "逾期", type: "bar", stack: "s", data: rows.map(function (r) { return r.late; }) },
          { name: "未报", type: "bar", stack: "s", data: rows.map(function (r) { return r.missing; }) }
        ]
      };
    },
    progress_by_section: function (rows) {
      return {
        tooltip: { trigger: "axis", axisPointer: { type: "shadow" } },
        grid: { left: 180, right: 40, top: 20, bottom: 30 },
        xAxis: { type: "value", max: 100, name: "%" },
        yAxis: { type: "category", data: rows.map(function (r) { return r.section; }).reverse() },
        series: [{ type: "bar", data: rows.map(function (r) { return r.rate; }).reverse(), label: { show: true, position: "right", formatter: "{c}%" } }]
      };
    },
    four_no: function (rows) {
      var met = rows.filter(function (r) { return r.met; }).length;
      return {
        tooltip: { trigger: "item" }, legend: { bottom: 0 },
        color: ["#198754", "#dc3545"],
        series: [{ type: "pie", radius: ["40%", "70%"], label: { formatter: "{b}\n{c} 家" }, data: [{ name: "实现“四无”", value: met }, { name: "未实现", value: rows.length - met }] }]
      };
    },
    specialty: function (rows) {
      return {
        tooltip: { trigger: "item" },
        series: [{ type: "pie", radius: "65%", label: { formatter: "{b} {c}" }, data: rows.map(function (r) { return { name: r.label, value: r.count }; }) }]
      };
    },
    major_series: function (rows) {
      return {
        tooltip: { trigger: "axis" }, grid: { left: 40, right: 20, top: 30, bottom: 30 },
        xAxis: { type: "category", data: rows.map(function (r) { return r.date.slice(5); }) },
        yAxis: { type: "value", name: "项", minInterval: 1 },
        series: [{ type: "line", name: "未销号重大隐患", data: rows.map(function (r) { return r.open_major; }), markLine: { symbol: "none", data: [{ yAxis: 0, name: "清零" }], label: { formatter: "清零目标" } } }]
      };
    },
    inspections_by_mode: function (rows) {
      return {
        tooltip: { trigger: "axis" }, grid: { left: 40, right: 10, top: 20, bottom: 40 },
        xAxis: { type: "category", data: rows.map(function (r) { return r.label; }), axisLabel: { interval: 0 } },
        yAxis: { type: "value", minInterval: 1 },
        series: [{ type: "bar", data: rows.map(function (r) { return r.count; }), label: { show: true, position: "top" } }]
      };
    }
  };

  function render(data, options) {
    var dark = options && options.dark;
    Object.keys(builders).forEach(function (name) {
      var source = data[name] !== undefined ? data[name] : data.figures && data.figures[name];
      if (source === undefined && name === "specialty" && data.figures) source = data.figures.hazards_by_specialty;
      if (source === undefined || source === null) return;
      draw(name, builders[name](source), dark);
    });
  }

  function load(url, options) {
    return fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (r) { if (!r.ok) throw new Error("图表数据加载失败：" + r.status); return r.json(); })
      .then(function (data) { render(data, options); return data; });
  }

  window.addEventListener("resize", function () { instances.forEach(function (c) { c.resize(); }); });
  window.CampaignCharts = { render: render, load: load };

  /* Pages declare what they need: embedded figures (#dashboard-figures), or a data URL with an optional
     refresh period in seconds (the big screen). */
  document.addEventListener("DOMContentLoaded", function () {
    var embedded = document.getElementById("dashboard-figures");
    if (embedded) render({ figures: JSON.parse(embedded.textContent) });
    var source = document.querySelector("[data-charts-url]");
    if (!source) return;
    var options = { dark: source.getAttribute("data-dark") === "1" };
    var status = document.querySelector("[data-charts-status]");
    function refresh() {
      return load(source.getAttribute("data-charts-url"), options).then(function (data) {
        if (status) status.textContent = "更新于 " + new Date().toLocaleTimeString("zh-CN", { hour12: false });
        document.querySelectorAll("[data-live]").forEach(function (el) {
          var path = el.getAttribute("data-live").split(".");
          var value = path.reduce(function (o, k) { return o == null ? o : o[k]; }, data);
          if (value !== undefined && value !== null) el.textContent = value;
        });
        document.body.setAttribute("data-charts-ready", "1");
      }).catch(function (err) { if (status) status.textContent = err.message; });
    }
    refresh();
    var period = parseInt(source.getAttribute("data-refresh") || "0", 10);
    if (period > 0) setInterval(refresh, period * 1000);
  });
})();

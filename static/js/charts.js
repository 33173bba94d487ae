/* Renders the campaign charts with ECharts (vendored, SVG renderer) from the JSON of /dashboard/data/ (or json_script
   on the page). Every chart lives in an element with data-chart="<name>"; missing elements are skipped.

   Labels must read at every size, from a phone to the big screen: every grid keeps its axis labels inside
   (containLabel), long category names wrap to the width they have, the timeline's milestones are staggered onto rows
   so that no two overlap, and the charts are drawn again for the new size when the window changes. */
(function () {
  "use strict";
  var instances = [];
  var FONT = '"PingFang SC","Microsoft YaHei","Noto Sans CJK SC",sans-serif';
  var COLORS = ["#0d6efd", "#dc3545", "#ffc107", "#198754", "#6f42c1", "#20c997", "#fd7e14", "#6c757d"];
  var MILESTONE_FONT = 11;
  var MILESTONE_ROW = 16;
  var last = null; // what was drawn, to draw it again at a new size
  var sizes = new WeakMap(); // each chart's box when last drawn

  var measure = (function () {
    var ctx = document.createElement("canvas").getContext("2d");
    return function (text, size) {
      ctx.font = size + "px " + FONT;
      return Math.ceil(ctx.measureText(text).width);
    };
  })();

  function draw(name, build, source, dark) {
    var el = document.querySelector('[data-chart="' + name + '"]');
    if (!el || source === undefined || source === null) return;
    var chart = echarts.getInstanceByDom(el) || echarts.init(el, dark ? "dark" : null, { renderer: "svg" });
    var ctx = { width: el.clientWidth, height: el.clientHeight, dark: dark, el: el };
    var option = build(source, ctx);
    var after = option.after;
    delete option.after;
    option.color = option.color || COLORS;
    option.textStyle = { fontFamily: FONT };
    option.backgroundColor = "transparent";
    option.animation = false;
    chart.setOption(option, true);
    if (after) after(chart, ctx);
    if (instances.indexOf(chart) < 0) {
      instances.push(chart);
      if (watcher) {
        sizes.set(el, el.clientWidth + "x" + el.clientHeight); // the size it was drawn at
        watcher.observe(el);
      }
    }
  }

  function dayNumber(start, iso) {
    return Math.round((new Date(iso) - new Date(start)) / 86400000);
  }
  function dateAt(start, n) {
    var d = new Date(start);
    d.setDate(d.getDate() + n);
    return (d.getMonth() + 1) + "/" + d.getDate();
  }

  /* A category axis whose names wrap (never overlap, never rotate off the chart) in the width each category has. */
  function wrappedCategories(ctx, count, reserved) {
    var each = Math.max(36, Math.floor((ctx.width - (reserved || 60)) / Math.max(1, count)) - 6);
    return { interval: 0, width: each, overflow: "break", lineHeight: 18 };
  }

  /* As many value ticks as the chart's height holds apart (a short panel of the big screen gets fewer). */
  function ticks(ctx, reserved) {
    return Math.max(2, Math.min(5, Math.floor((ctx.height - (reserved || 90)) / 32)));
  }

  /* A value axis from 0 to at least `top` in whole steps, with no more labels than the height holds. */
  function wholeSteps(ctx, top, reserved) {
    var count = ticks(ctx, reserved);
    var step = Math.max(1, Math.ceil(top / count));
    return { min: 0, max: Math.max(step, step * Math.ceil(top / step)), interval: step };
  }

  /* The milestones of the timeline (today and each deadline), placed above the chart: each centred on its line when
     it fits, kept inside the chart at the edges, and put on the first row where it overlaps nothing. A thin line
     joins each label to its marker; labels carry the chart's background so a joining line never runs through one. */
  function placeMilestones(chart, ctx, milestones, phaseCount) {
    var width = ctx.width;
    var placed = milestones
      .map(function (m) {
        var x = chart.convertToPixel({ xAxisIndex: 0 }, m.day);
        var w = measure(m.text, MILESTONE_FONT);
        var left = Math.min(Math.max(2, x - w / 2), width - w - 2);
        return { m: m, x: x, left: left, w: w };
      })
      .sort(function (a, b) { return a.left - b.left || (a.m.today ? -1 : 1); });
    var rows = [];
    placed.forEach(function (p) {
      var row = 0;
      while (row < rows.length && rows[row] + 8 > p.left) row++;
      rows[row] = p.left + p.w;
      p.row = row;
    });
    var top = 6 + rows.length * MILESTONE_ROW + 6;
    var needed = top + phaseCount * 24 + 34;
    if (ctx.el.style.height && ctx.el.clientHeight < needed) {
      // A narrow screen needs more rows: the chart grows rather than squeezing its bars.
      ctx.el.style.height = needed + "px";
      chart.resize();
    }
    var bg = ctx.dark ? "#111b2e" : "#ffffff";
    var graphic = [];
    placed.forEach(function (p) {
      var y = 6 + p.row * MILESTONE_ROW;
      graphic.push({
        type: "line", silent: true, z: 1,
        shape: { x1: p.x, y1: y + MILESTONE_ROW - 3, x2: p.x, y2: top },
        style: { stroke: p.m.color, lineWidth: 1, lineDash: p.m.today ? null : [3, 3] }
      });
      graphic.push({
        type: "text", silent: true, z: 2, x: p.left, y: y,
        style: {
          text: p.m.text, fill: p.m.today ? p.m.color : (ctx.dark ? "#c7d2e3" : "#495057"),
          font: (p.m.today ? "bold " : "") + MILESTONE_FONT + "px " + FONT, align: "left", verticalAlign: "top",
          backgroundColor: bg, padding: [1, 0]
        }
      });
    });
    chart.setOption({ grid: { top: top }, graphic: graphic });
  }

  var builders = {
    timeline: function (t, ctx) {
      var start = t.starts_on;
      var names = t.phases.map(function (p) { return p.name; }).reverse();
      var phases = t.phases.slice().reverse();
      var milestones = [{ day: dayNumber(start, t.today), text: "今天", color: "#dc3545", today: true }].concat(
        t.deadlines.map(function (d) { return { day: dayNumber(start, d.due_on) + 1, text: d.name, color: "#6c757d" }; })
      );
      return {
        grid: { left: 8, right: 16, top: 30, bottom: 8, containLabel: true },
        tooltip: { trigger: "item", formatter: function (p) { var ph = phases[p.dataIndex]; return ph.name + "<br>" + ph.starts_on + " 至 " + ph.ends_on; } },
        xAxis: { type: "value", min: 0, max: dayNumber(start, t.ends_on) + 1, axisLabel: { formatter: function (v) { return dateAt(start, v); }, hideOverlap: true } },
        yAxis: { type: "category", data: names },
        series: [
          { type: "bar", stack: "t", itemStyle: { color: "transparent" }, data: phases.map(function (p) { return dayNumber(start, p.starts_on); }), tooltip: { show: false } },
          {
            type: "bar", stack: "t", name: "阶段", barWidth: 16,
            data: phases.map(function (p) { return dayNumber(start, p.ends_on) - dayNumber(start, p.starts_on) + 1; }),
            markLine: {
              symbol: "none", silent: true, label: { show: false },
              data: milestones.map(function (m) {
                return { xAxis: m.day, lineStyle: { color: m.color, width: m.today ? 2 : 1, type: m.today ? "solid" : "dashed" } };
              })
            }
          }
        ],
        after: function (chart, c) { placeMilestones(chart, c, milestones, phases.length); }
      };
    },
    hazards_weekly: function (h, ctx) {
      return {
        tooltip: { trigger: "axis" }, legend: { data: ["累计排查", "累计销号"] },
        grid: { left: 8, right: 16, top: 44, bottom: 8, containLabel: true },
        xAxis: { type: "category", data: h.weeks, axisLabel: { hideOverlap: true } }, yAxis: { type: "value", name: "项", minInterval: 1, splitNumber: ticks(ctx), axisLabel: { hideOverlap: true } },
        series: [{ name: "累计排查", type: "line", data: h.found, areaStyle: { opacity: 0.1 } }, { name: "累计销号", type: "line", data: h.closed, areaStyle: { opacity: 0.1 } }]
      };
    },
    by_enterprise: function (rows, ctx) {
      return {
        tooltip: { trigger: "axis" }, legend: { data: ["整改率（%）", "逾期（项）"] },
        grid: { left: 8, right: 8, top: 44, bottom: 8, containLabel: true },
        xAxis: { type: "category", data: rows.map(function (r) { return r.enterprise; }), axisLabel: wrappedCategories(ctx, rows.length, 90) },
        yAxis: [{ type: "value", name: "%", min: 0, max: 100, interval: [50, 50, 50, 25, 20][ticks(ctx) - 1] }, { type: "value", name: "项", minInterval: 1, splitNumber: ticks(ctx), axisLabel: { hideOverlap: true } }],
        series: [
          { name: "整改率（%）", type: "bar", data: rows.map(function (r) { return r.rate; }), label: { show: true, position: "top" } },
          { name: "逾期（项）", type: "line", yAxisIndex: 1, data: rows.map(function (r) { return r.overdue; }) }
        ]
      };
    },
    violations_monthly: function (v, ctx) {
      return {
        tooltip: { trigger: "axis" }, legend: { data: v.series.map(function (s) { return s.type; }) },
        grid: { left: 8, right: 16, top: 44, bottom: 8, containLabel: true },
        xAxis: { type: "category", data: v.months, axisLabel: { hideOverlap: true } }, yAxis: { type: "value", name: "人次", minInterval: 1, splitNumber: ticks(ctx), axisLabel: { hideOverlap: true } },
        series: v.series.map(function (s) { return { name: s.type, type: "bar", stack: "v", data: s.data }; })
      };
    },
    on_time: function (rows, ctx) {
      // A short chart (a panel of a smaller big screen) keeps one line per deadline: the rate is in the tooltip.
      var short = ctx.height < 260;
      var names = rows.map(function (r) { return short ? r.deadline : r.deadline + "\n按期率" + r.rate + "%"; });
      var labels = wrappedCategories(ctx, rows.length);
      if (short) { labels.overflow = "truncate"; }
      return {
        tooltip: { trigger: "axis" }, legend: { data: ["按期", "逾期", "未报"] },
        grid: { left: 8, right: 16, top: 44, bottom: 8, containLabel: true },
        xAxis: { type: "category", data: names, axisLabel: labels },
        yAxis: Object.assign({ type: "value", name: "单位" }, wholeSteps(ctx, Math.max.apply(null, rows.map(function (r) { return r.on_time + r.late + r.missing; }).concat([1])), short ? 100 : 140)),
        color: ["#198754", "#ffc107", "#dc3545"],
        series: [
          { name: "按期", type: "bar", stack: "s", data: rows.map(function (r) { return r.on_time; }) },
          { name: "逾期", type: "bar", stack: "s", data: rows.map(function (r) { return r.late; }) },
          { name: "未报", type: "bar", stack: "s", data: rows.map(function (r) { return r.missing; }) }
        ]
      };
    },
    progress_by_section: function (rows, ctx) {
      return {
        tooltip: { trigger: "axis", axisPointer: { type: "shadow" } },
        grid: { left: 16, right: 48, top: 16, bottom: 28, containLabel: true },
        xAxis: { type: "value", max: 100, axisLabel: { formatter: "{value}%" } },
        yAxis: {
          type: "category", data: rows.map(function (r) { return r.section; }).reverse(),
          axisLabel: { width: Math.max(80, Math.min(180, Math.floor(ctx.width * 0.4))), overflow: "break", lineHeight: 18 }
        },
        // 已核验 (verified by the bureau or proven by records) stacked under 已申报待核验: the bar's end is all done
        legend: { bottom: 0, data: ["已核验", "已申报待核验"] },
        color: ["#198754", "#9ec5fe"],
        series: [
          { name: "已核验", type: "bar", stack: "done", data: rows.map(function (r) { return r.verified_rate; }).reverse() },
          {
            name: "已申报待核验", type: "bar", stack: "done",
            data: rows.map(function (r) { return Math.round((r.rate - r.verified_rate) * 10) / 10; }).reverse(),
            label: { show: true, position: "right", formatter: function (p) { return rows[rows.length - 1 - p.dataIndex].rate + "%"; } }
          }
        ]
      };
    },
    four_no: function (rows, ctx) {
      // status: met / not_met / unreported (未报: a monthly report due and not sent is never counted as met)
      var met = rows.filter(function (r) { return r.status ? r.status === "met" : r.met; }).length;
      var unreported = rows.filter(function (r) { return r.status === "unreported"; }).length;
      var counts = { "实现“四无”": met, "未实现": rows.length - met - unreported, "未报": unreported };
      var legendHeight = 28;
      var centerY = Math.round((ctx.height - legendHeight) / 2);
      var textColor = ctx.dark ? "#e6edf7" : "#212529";
      return {
        tooltip: { trigger: "item", formatter: "{b}：{c} 家（{d}%）" },
        legend: { bottom: 4, data: Object.keys(counts), formatter: function (name) { return name + " " + counts[name] + " 家"; } },
        color: ["#198754", "#dc3545", "#6c757d"],
        series: [{
          type: "pie", radius: ["45%", "72%"], center: ["50%", centerY], avoidLabelOverlap: true,
          label: { show: true, position: "inside", formatter: "{c}", color: "#fff", fontWeight: "bold", fontSize: 13 },
          labelLine: { show: false },
          // every status keeps its legend entry ("实现“四无” 0 家" says something); an empty slice has no label
          data: Object.keys(counts).map(function (k) {
            return counts[k] > 0 ? { name: k, value: counts[k] } : { name: k, value: 0, label: { show: false } };
          })
        }],
        graphic: [{
          type: "text", left: "center", top: centerY - 21, silent: true,
          style: { text: met + "/" + rows.length + "\n实现", fill: textColor, font: "bold 14px " + FONT, align: "center", lineHeight: 21 }
        }]
      };
    },
    specialty: function (rows, ctx) {
      return {
        tooltip: { trigger: "item", formatter: "{b}：{c} 项（{d}%）" },
        series: [{
          type: "pie", radius: ctx.width < 360 ? "48%" : "58%", center: ["50%", "50%"],
          label: { formatter: "{b} {c}", alignTo: "edge", edgeDistance: 4, minMargin: 3, lineHeight: 14, fontSize: 11 },
          labelLine: { length: 6, length2: 0, maxSurfaceAngle: 80 },
          data: rows.map(function (r) { return { name: r.label, value: r.count }; })
        }]
      };
    },
    major_series: function (rows, ctx) {
      return {
        tooltip: { trigger: "axis" }, grid: { left: 8, right: 16, top: 30, bottom: 8, containLabel: true },
        xAxis: { type: "category", data: rows.map(function (r) { return r.date.slice(5); }), axisLabel: { hideOverlap: true } },
        yAxis: { type: "value", name: "项", minInterval: 1, splitNumber: ticks(ctx), axisLabel: { hideOverlap: true } },
        series: [{
          type: "line", name: "未销号重大隐患", data: rows.map(function (r) { return r.open_major; }),
          markLine: { symbol: "none", silent: true, data: [{ yAxis: 0, name: "清零" }], label: { formatter: "清零目标", position: "insideEndTop" } }
        }]
      };
    },
    inspections_by_mode: function (rows, ctx) {
      return {
        tooltip: { trigger: "axis" }, grid: { left: 8, right: 8, top: 24, bottom: 8, containLabel: true },
        xAxis: { type: "category", data: rows.map(function (r) { return r.label; }), axisLabel: wrappedCategories(ctx, rows.length, 40) },
        yAxis: { type: "value", minInterval: 1, splitNumber: ticks(ctx), axisLabel: { hideOverlap: true } },
        series: [{ type: "bar", data: rows.map(function (r) { return r.count; }), label: { show: true, position: "top" } }]
      };
    }
  };

  function render(data, options) {
    var dark = options && options.dark;
    last = { data: data, options: options };
    Object.keys(builders).forEach(function (name) {
      var source = data[name] !== undefined ? data[name] : data.figures && data.figures[name];
      if (source === undefined && name === "specialty" && data.figures) source = data.figures.hazards_by_specialty;
      draw(name, builders[name], source, dark);
    });
  }

  function load(url, options) {
    return fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (r) { if (!r.ok) throw new Error("图表数据加载失败：" + r.status); return r.json(); })
      .then(function (data) { render(data, options); return data; });
  }

  var resizing = null;
  function redraw() {
    clearTimeout(resizing);
    resizing = setTimeout(function () {
      instances.forEach(function (c) { c.resize(); });
      if (last) render(last.data, last.options); // wrapping, ticks and milestone rows depend on the size
    }, 150);
  }
  window.addEventListener("resize", redraw);
  // A chart's box may change without the window doing so (the big screen's head wraps once the status is filled in).
  var watcher = window.ResizeObserver ? new ResizeObserver(function (entries) {
    var changed = entries.some(function (e) {
      var size = Math.round(e.contentRect.width) + "x" + Math.round(e.contentRect.height);
      var before = sizes.get(e.target);
      sizes.set(e.target, size);
      return before !== undefined && before !== size;
    });
    if (changed) redraw();
  }) : null;
  window.CampaignCharts = { render: render, load: load };

  /* Pages declare what they need: embedded figures (#dashboard-figures), or a data URL with an optional
     refresh period in seconds (the big screen). */
  document.addEventListener("DOMContentLoaded", function () {
    var embedded = document.getElementById("dashboard-figures");
    if (embedded) {
      render({ figures: JSON.parse(embedded.textContent) });
      document.body.setAttribute("data-charts-ready", "1");
    }
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

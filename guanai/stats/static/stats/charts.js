/* Draws the dashboard charts from the json_script block "stats-data" (no inline scripts). */
(function () {
  "use strict";
  function draw() {
    var source = document.getElementById("stats-data");
    if (!source || !window.echarts) return;
    var data = JSON.parse(source.textContent);
    document.querySelectorAll("[data-chart]").forEach(function (el) {
      var rows = data[el.getAttribute("data-chart")] || [];
      var line = el.hasAttribute("data-line");
      var chart = window.echarts.init(el);
      chart.setOption({
        grid: { left: 40, right: 10, top: 10, bottom: line ? 30 : 70 },
        tooltip: { trigger: "axis" },
        xAxis: { type: "category", data: rows.map(function (r) { return r[0]; }), axisLabel: { rotate: line ? 0 : 40 } },
        yAxis: { type: "value", minInterval: 1 },
        series: [{ type: line ? "line" : "bar", data: rows.map(function (r) { return r[1]; }) }]
      });
      window.addEventListener("resize", function () { chart.resize(); });
    });
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", draw);
  else draw();
})();

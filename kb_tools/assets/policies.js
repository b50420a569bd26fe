/* 法规知识库 · 本局文件目录: filter the rows of the catalogue by year, kind, status and text.
 *
 * The rows are rendered at build time with data-year / data-kind / data-status / data-current, so
 * the page reads without this script; here we only hide rows. Filters live in the address
 * (?year=…&kind=…&status=…&q=…) so a filtered view can be bookmarked or sent. No network, no libraries.
 */
(function () {
  "use strict";

  function normalise(text) {
    return String(text || "")
      .replace(/[\uff01-\uff5e]/g, function (ch) { return String.fromCharCode(ch.charCodeAt(0) - 0xfee0); })
      .replace(/[\s\u3000]+/g, "")
      .toLowerCase();
  }

  function setup(form) {
    var table = document.getElementById(form.getAttribute("data-table"));
    if (!table || form.getAttribute("data-ready")) { return; }
    form.setAttribute("data-ready", "1");
    var rows = Array.prototype.map.call(table.tBodies[0].rows, function (tr) {
      return { el: tr, year: tr.getAttribute("data-year") || "", kind: tr.getAttribute("data-kind") || "",
               status: tr.getAttribute("data-status") || "", current: tr.getAttribute("data-current") === "1",
               text: normalise(tr.textContent) };
    });
    var controls = {};
    Array.prototype.forEach.call(form.querySelectorAll("[data-filter]"), function (el) {
      controls[el.getAttribute("data-filter")] = el;
    });
    var counter = form.querySelector(".kb-pl-count");
    var params = new URLSearchParams(window.location.search);
    Object.keys(controls).forEach(function (name) {
      if (params.has(name)) { controls[name].value = params.get(name); }
    });

    function apply() {
      var year = controls.year ? controls.year.value : "";
      var kind = controls.kind ? controls.kind.value : "";
      var status = controls.status ? controls.status.value : "";
      var q = controls.q ? normalise(controls.q.value) : "";
      var shown = 0;
      rows.forEach(function (row) {
        var ok = (!year || row.year === year) && (!kind || row.kind === kind) &&
          (!status || (status === "现行" ? row.current : row.status === status)) &&
          (!q || row.text.indexOf(q) >= 0);
        row.el.hidden = !ok;
        if (ok) { shown += 1; }
      });
      if (counter) { counter.textContent = "显示 " + shown + " / " + rows.length + " 件"; }
      var next = new URLSearchParams();
      Object.keys(controls).forEach(function (name) {
        var value = controls[name].value;
        if (value && !(name === "status" && value === "现行")) { next.set(name, value); }
      });
      var query = next.toString();
      window.history.replaceState(null, "", window.location.pathname + (query ? "?" + query : "") + window.location.hash);
    }

    Object.keys(controls).forEach(function (name) {
      controls[name].addEventListener(name === "q" ? "input" : "change", apply);
    });
    apply();
  }

  function init() {
    Array.prototype.forEach.call(document.querySelectorAll("form.kb-pl-filters"), setup);
  }
  if (window.document$ && typeof window.document$.subscribe === "function") {
    window.document$.subscribe(init);  // Material's instant navigation
  } else if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();

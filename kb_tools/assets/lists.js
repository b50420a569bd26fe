/* 法规知识库 · 清单表格: filter, sort and export the rows of every list table (权力清单, 检查事项,
 * and each list declared in docs/lists/).
 *
 * The rows are rendered at build time; each drop-down <select data-filter="X"> matches the row
 * attribute data-X (values separated by |), so the page works without this script and here we
 * only hide and reorder existing rows. The text of each row is read
 * once into an index, so a keystroke over a thousand rows is one pass over an array of strings.
 * Filters live in the address (?type=…&dept=…&q=…, one parameter per drop-down) so a filtered view can be bookmarked or sent.
 * The filters narrow each other: a drop-down offers only values that still have rows under the
 * other filters (and the text), so no choice empties the table.
 * No network access, no libraries.
 */
(function () {
  "use strict";

  // Full-width letters/digits to half-width, lower case: what the user types matches what is shown.
  function normalise(text) {
    return String(text || "")
      .replace(/[\uff01-\uff5e]/g, function (ch) { return String.fromCharCode(ch.charCodeAt(0) - 0xfee0); })
      .replace(/\u3000/g, " ")
      .toLowerCase();
  }

  // The rule of kb_tools/text.py neutralise_cell (OWASP): a cell a spreadsheet would run as a
  // formula (=, +, -, @, tab, CR first, also full-width) gets a leading ', numbers stay numbers.
  var FORMULA_START = /^(?:[\t\r]|[ \n\u00a0\u3000]*[=+\-@\uff1d\uff0b\uff0d\uff20])/;
  var NUMBER = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$/;
  var LONE_SIGN = /^[+\-\uff0b\uff0d]$/;

  function neutraliseCell(text) {
    var core = text.trim();
    if (!FORMULA_START.test(text) || NUMBER.test(core) || LONE_SIGN.test(core)) { return text; }
    return "'" + text;
  }

  function setup(form) {
    var table = document.getElementById(form.getAttribute("data-table"));
    if (!table || form.getAttribute("data-ready")) { return; }
    form.setAttribute("data-ready", "1");
    var tbody = table.tBodies[0];
    var selects = Array.prototype.slice.call(form.querySelectorAll("select[data-filter]"));
    var rows = Array.prototype.map.call(tbody.rows, function (tr, index) {
      return {
        el: tr,
        index: index,
        values: selects.map(function (select) {
          return (tr.getAttribute("data-" + select.getAttribute("data-filter")) || "").split("|");
        }),
        rank: Number(tr.getAttribute("data-rank") || 0),
        text: normalise(tr.textContent),
        cells: Array.prototype.map.call(tr.cells, function (td) { return td.textContent.trim(); }),
        keys: Array.prototype.map.call(tr.cells, function (td) {
          var value = td.getAttribute("data-value");
          return value === null ? td.textContent.trim() : value;
        })
      };
    });
    var heads = Array.prototype.slice.call(table.tHead.rows[0].cells);
    var query = form.querySelector('[data-filter="q"]');
    var counter = form.querySelector(".kb-pw-count");
    var unit = form.getAttribute("data-unit") || "项";
    var sortState = { column: -1, dir: 1 };
    var timer = null;

    // In the order shown (after sorting), not the order of the source.
    function visibleRows() {
      var byElement = new Map(rows.map(function (row) { return [row.el, row]; }));
      return Array.prototype.filter.call(tbody.rows, function (tr) { return !tr.hidden; })
        .map(function (tr) { return byElement.get(tr); });
    }

    // One pass over the rows: a row is shown when it passes every filter. It also tells each
    // drop-down which of its values still have rows: a row failing only drop-down f (and no
    // other filter) offers its values to f, a row failing nothing offers its values to all.
    function apply() {
      var wanted = selects.map(function (select) { return select.value; });
      var terms = normalise(query ? query.value : "").split(/\s+/).filter(Boolean);
      var offered = selects.map(function () { return Object.create(null); });
      var shown = 0;
      for (var i = 0; i < rows.length; i++) {
        var row = rows[i];
        var textOk = true;
        for (var t = 0; textOk && t < terms.length; t++) {
          textOk = row.text.indexOf(terms[t]) >= 0;
        }
        var failed = -1;
        var failures = textOk ? 0 : 2;
        for (var f = 0; failures < 2 && f < wanted.length; f++) {
          if (wanted[f] && row.values[f].indexOf(wanted[f]) < 0) { failed = f; failures++; }
        }
        var ok = failures === 0;
        for (var g = 0; failures < 2 && g < selects.length; g++) {
          if (ok || g === failed) { row.values[g].forEach(offer(offered[g])); }
        }
        if (row.el.hidden === ok) { row.el.hidden = !ok; }
        if (ok) { shown++; }
      }
      selects.forEach(function (select, index) { narrow(select, offered[index]); });
      counter.textContent = "显示 " + shown + " / " + rows.length + " " + unit;
      table.classList.toggle("kb-pw-empty", shown === 0);
      remember(query ? query.value : "");
    }

    function offer(set) {
      return function (value) { if (value) { set[value] = true; } };
    }

    // Options with no row left under the other filters are hidden (and disabled, for browsers
    // that show hidden options); “全部” and the option chosen always stay.
    function narrow(select, values) {
      for (var i = 0; i < select.options.length; i++) {
        var option = select.options[i];
        var keep = !option.value || option.selected || values[option.value] === true;
        if (option.hidden === keep) { option.hidden = !keep; option.disabled = !keep; }
      }
    }

    function remember(q) {
      if (!window.history || !window.history.replaceState) { return; }
      var params = new URLSearchParams(window.location.search);
      var pairs = selects.map(function (select) { return [select.name, select.value]; });
      pairs.concat([["q", q]]).forEach(function (pair) {
        if (pair[1]) { params.set(pair[0], pair[1]); } else { params.delete(pair[0]); }
      });
      var search = params.toString();
      var url = window.location.pathname + (search ? "?" + search : "") + window.location.hash;
      window.history.replaceState(window.history.state, "", url);
    }

    function restore() {
      var params = new URLSearchParams(window.location.search);
      selects.forEach(function (select) { setSelect(select, params.get(select.name)); });
      if (query && params.get("q")) { query.value = params.get("q"); }
    }

    function setSelect(select, value) {
      if (!select || !value) { return; }
      for (var i = 0; i < select.options.length; i++) {
        if (select.options[i].value === value) { select.selectedIndex = i; return; }
      }
    }

    function sortBy(column) {
      var head = heads[column];
      var kind = head.getAttribute("data-sort-kind");
      sortState.dir = sortState.column === column ? -sortState.dir : 1;
      sortState.column = column;
      var dir = sortState.dir;
      var collator = new Intl.Collator("zh-Hans-CN", { numeric: true, sensitivity: "base" });
      var sorted = rows.slice().sort(function (a, b) {
        var diff;
        if (kind === "rank") {
          diff = a.rank - b.rank;
        } else if (kind === "number") {
          diff = numberOf(a.keys[column]) - numberOf(b.keys[column]);
        } else {
          diff = collator.compare(a.keys[column], b.keys[column]);
        }
        return diff * dir || a.index - b.index;
      });
      var fragment = document.createDocumentFragment();
      sorted.forEach(function (row) { fragment.appendChild(row.el); });
      tbody.appendChild(fragment);
      heads.forEach(function (th, i) {
        th.setAttribute("aria-sort", i === column ? (dir > 0 ? "ascending" : "descending") : "none");
      });
    }

    // Empty cells sort after every number, whichever the direction of the first click.
    function numberOf(text) {
      var value = parseFloat(text);
      return isNaN(value) ? Infinity : value;
    }

    function exportCsv() {
      var lines = [heads.map(function (th) { return csvCell(th.textContent.trim()); }).join(",")];
      visibleRows().forEach(function (row) { lines.push(row.cells.map(csvCell).join(",")); });
      var blob = new Blob(["\ufeff" + lines.join("\r\n") + "\r\n"], { type: "text/csv;charset=utf-8" });
      var link = document.createElement("a");
      link.href = URL.createObjectURL(blob);
      link.download = (document.title.split(" - ")[0] || "清单") + "（筛选结果）.csv";
      document.body.appendChild(link);
      link.click();
      setTimeout(function () { URL.revokeObjectURL(link.href); link.remove(); }, 0);
    }

    // A cell starting with = + - @ would run as a formula in Excel: an apostrophe keeps it text.
    function csvCell(text) {
      text = neutraliseCell(text);
      return /[",\r\n]/.test(text) ? '"' + text.replace(/"/g, '""') + '"' : text;
    }

    form.addEventListener("change", apply);
    if (query) {
      query.addEventListener("input", function () {
        clearTimeout(timer);
        timer = setTimeout(apply, 60);
      });
    }
    form.addEventListener("click", function (event) {
      var action = event.target.getAttribute && event.target.getAttribute("data-action");
      if (action === "reset") {
        selects.forEach(function (select) { select.selectedIndex = 0; });
        if (query) { query.value = ""; }
        apply();
      } else if (action === "csv") {
        exportCsv();
      }
    });
    heads.forEach(function (th, column) {
      if (!th.hasAttribute("data-sort")) { return; }
      th.addEventListener("click", function () { sortBy(column); });
      th.addEventListener("keydown", function (event) {
        if (event.key === "Enter" || event.key === " ") { event.preventDefault(); sortBy(column); }
      });
    });
    // Each cell learns its column's name: on a phone a row is shown as a card of "label value" lines.
    var labels = heads.map(function (th) { return th.textContent.trim(); });
    rows.forEach(function (row) {
      Array.prototype.forEach.call(row.el.cells, function (td, i) { td.setAttribute("data-label", labels[i] || ""); });
    });
    table.classList.add("kb-pw-cards");
    restore();
    apply();
    form.classList.add("kb-pw-ready");
  }

  function init() {
    Array.prototype.forEach.call(document.querySelectorAll("form.kb-pw-filters"), setup);
  }

  if (window.document$ && typeof window.document$.subscribe === "function") {
    window.document$.subscribe(init);  // Material's instant navigation swaps pages without a reload
  } else if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();

/* 法规知识库 · 罚则索引: filter the cross-law table by regulation, sanction kind, fine amount and words.
 *
 * The rows are rendered at build time with data-law / data-kinds / data-fines attributes, so the
 * page works without this script; here we only hide rows. data-fines lists each fixed-amount fine
 * as "min-max" in 元 (an empty side is open). Filters live in the address (?law=…&kind=…&amount=…&q=…)
 * so a filtered view can be bookmarked or sent. No network access, no libraries.
 */
(function () {
  "use strict";

  function normalise(text) {
    return String(text || "")
      .replace(/[\uff01-\uff5e]/g, function (ch) { return String.fromCharCode(ch.charCodeAt(0) - 0xfee0); })
      .replace(/\u3000/g, " ")
      .toLowerCase();
  }

  // "50000", "5万", "5 万元", "0.5万" -> yuan; NaN when it is not an amount.
  function parseAmount(text) {
    var match = normalise(text).replace(/[\s,元]/g, "").match(/^(\d+(?:\.\d+)?)(万|亿)?$/);
    if (!match) { return NaN; }
    return Number(match[1]) * (match[2] === "万" ? 10000 : match[2] === "亿" ? 100000000 : 1);
  }

  function fines(attribute) {
    return String(attribute || "").split(";").filter(Boolean).map(function (pair) {
      var parts = pair.split("-");
      return [parts[0] === "" ? 0 : Number(parts[0]), parts[1] === "" ? Infinity : Number(parts[1])];
    });
  }

  function setup(form) {
    var table = document.getElementById(form.getAttribute("data-table"));
    if (!table || form.getAttribute("data-ready")) { return; }
    form.setAttribute("data-ready", "1");
    var rows = Array.prototype.map.call(table.tBodies[0].rows, function (tr) {
      return {
        el: tr,
        law: tr.getAttribute("data-law") || "",
        kinds: (tr.getAttribute("data-kinds") || "").split("|"),
        fines: fines(tr.getAttribute("data-fines")),
        text: normalise(tr.textContent)
      };
    });
    var controls = {};
    Array.prototype.forEach.call(form.querySelectorAll("[data-filter]"), function (el) {
      controls[el.getAttribute("data-filter")] = el;
    });
    var counter = form.querySelector(".kb-pen-count");
    var none = document.querySelector(".kb-pen-none");
    var timer = null;

    // Whether a row passes every filter but the one named by ``skip`` (to narrow that one's options).
    function passes(row, f, skip) {
      if (skip !== "law" && f.law && row.law !== f.law) { return false; }
      if (skip !== "kind" && f.kind && row.kinds.indexOf(f.kind) < 0) { return false; }
      if (!isNaN(f.amount) && !row.fines.some(function (range) { return range[0] <= f.amount && f.amount <= range[1]; })) {
        return false;
      }
      for (var t = 0; t < f.terms.length; t++) { if (row.text.indexOf(f.terms[t]) < 0) { return false; } }
      return true;
    }

    // The filters narrow each other, as in every list table (lists.js): a drop-down offers only
    // values that still have rows under the other filters; its own choice and 全部 always stay.
    function narrow(f) {
      ["law", "kind"].forEach(function (name) {
        var select = controls[name];
        var left = {};
        rows.forEach(function (row) {
          if (!passes(row, f, name)) { return; }
          if (name === "law") { left[row.law] = true; } else { row.kinds.forEach(function (k) { left[k] = true; }); }
        });
        Array.prototype.forEach.call(select.options, function (option) {
          var off = option.value !== "" && option.value !== select.value && !left[option.value];
          if (option.disabled !== off) { option.disabled = off; }
        });
      });
    }

    function apply() {
      var amountText = controls.amount.value.trim();
      var f = {
        law: controls.law.value,
        kind: controls.kind.value,
        amount: amountText ? parseAmount(amountText) : NaN,
        terms: normalise(controls.q.value).split(/\s+/).filter(Boolean)
      };
      controls.amount.setAttribute("aria-invalid", amountText && isNaN(f.amount) ? "true" : "false");
      var shown = 0;
      rows.forEach(function (row) {
        var ok = passes(row, f, null);
        if (row.el.hidden === ok) { row.el.hidden = !ok; }
        if (ok) { shown++; }
      });
      counter.textContent = "显示 " + shown + " / " + rows.length + " 条";
      if (none) { none.hidden = shown > 0; }
      narrow(f);
      remember();
    }

    function remember() {
      if (!window.history || !window.history.replaceState) { return; }
      var params = new URLSearchParams(window.location.search);
      ["law", "kind", "amount", "q"].forEach(function (name) {
        var value = controls[name].value.trim();
        if (value) { params.set(name, value); } else { params.delete(name); }
      });
      var search = params.toString();
      window.history.replaceState(window.history.state, "",
        window.location.pathname + (search ? "?" + search : "") + window.location.hash);
    }

    function restore() {
      var params = new URLSearchParams(window.location.search);
      Object.keys(controls).forEach(function (name) {
        var value = params.get(name);
        if (!value) { return; }
        var el = controls[name];
        if (el.tagName === "SELECT") {
          for (var i = 0; i < el.options.length; i++) {
            if (el.options[i].value === value) { el.selectedIndex = i; break; }
          }
        } else {
          el.value = value;
        }
      });
    }

    form.addEventListener("change", apply);
    form.addEventListener("input", function () {
      window.clearTimeout(timer);
      timer = window.setTimeout(apply, 120);
    });
    restore();
    apply();
  }

  function init() {
    Array.prototype.forEach.call(document.querySelectorAll("form.kb-pen-filters"), setup);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
  // Material's instant navigation swaps pages without a load event.
  if (window.document$ && window.document$.subscribe) { window.document$.subscribe(init); }
})();

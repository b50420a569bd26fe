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

    function apply() {
      var law = controls.law.value;
      var kind = controls.kind.value;
      var amountText = controls.amount.value.trim();
      var amount = amountText ? parseAmount(amountText) : NaN;
      controls.amount.setAttribute("aria-invalid", amountText && isNaN(amount) ? "true" : "false");
      var terms = normalise(controls.q.value).split(/\s+/).filter(Boolean);
      var shown = 0;
      rows.forEach(function (row) {
        var ok = (!law || row.law === law) && (!kind || row.kinds.indexOf(kind) >= 0);
        if (ok && !isNaN(amount)) {
          ok = row.fines.some(function (range) { return range[0] <= amount && amount <= range[1]; });
        }
        for (var t = 0; ok && t < terms.length; t++) { ok = row.text.indexOf(terms[t]) >= 0; }
        if (row.el.hidden === ok) { row.el.hidden = !ok; }
        if (ok) { shown++; }
      });
      counter.textContent = "显示 " + shown + " / " + rows.length + " 条";
      if (none) { none.hidden = shown > 0; }
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

/* 法规知识库: "复制引用" copies 《法规名称》第N条 and the article's address. No network access. */
(function () {
  "use strict";

  function articleUrl(anchor) {
    var url = new URL(window.location.href);
    url.hash = anchor;
    // Decode so that a Chinese path stays readable when pasted into an OA message.
    try { return decodeURI(url.href); } catch (e) { return url.href; }
  }

  function copyText(text) {
    if (navigator.clipboard && window.isSecureContext) {
      return navigator.clipboard.writeText(text);
    }
    // Intranet sites are often plain http, where the async clipboard API is unavailable.
    return new Promise(function (resolve, reject) {
      var area = document.createElement("textarea");
      area.value = text;
      area.setAttribute("readonly", "");
      area.style.position = "fixed";
      area.style.opacity = "0";
      document.body.appendChild(area);
      area.select();
      try { document.execCommand("copy") ? resolve() : reject(new Error("copy refused")); }
      catch (e) { reject(e); }
      finally { document.body.removeChild(area); }
    });
  }

  document.addEventListener("click", function (event) {
    var button = event.target.closest && event.target.closest(".kb-copy");
    if (!button) { return; }
    var text = button.getAttribute("data-cite") + " " + articleUrl(button.getAttribute("data-anchor"));
    button.setAttribute("data-copied-text", text);
    copyText(text).then(function () {
      button.classList.add("kb-copied");
      button.textContent = "已复制";
      setTimeout(function () { button.classList.remove("kb-copied"); button.textContent = "复制引用"; }, 1800);
    }, function () {
      window.prompt("请复制以下引用：", text);
    });
  });

  // On paper a link is useless unless its address is printed: reading packs show it after the
  // link text (print.css), as a readable absolute address.
  function markPrintedLinks() {
    var links = document.querySelectorAll(".kb-pack a[href]");
    for (var i = 0; i < links.length; i++) {
      var href = links[i].getAttribute("href");
      if (!href || href.charAt(0) === "#") { continue; }
      var absolute = links[i].href;
      try { absolute = decodeURI(absolute); } catch (e) { /* keep it encoded */ }
      links[i].setAttribute("data-kb-href", absolute);
    }
  }
  // 新旧对照: 只看变化 hides the rows whose text is unchanged; an outline link to a row shows it.
  function setupCompare() {
    var button = document.querySelector(".kb-compare-toggle");
    var table = document.querySelector("table.kb-compare");
    if (!button || !table) { return; }
    button.hidden = false;
    button.addEventListener("click", function () {
      var on = button.getAttribute("aria-pressed") !== "true";
      button.setAttribute("aria-pressed", on ? "true" : "false");
      table.classList.toggle("kb-compare--changes-only", on);
    });
  }

  // 跳到第N条 (the outline block phones see): Chinese or Arabic numerals, as kb_tools/numerals.py.
  var DIGITS = { "零": 0, "〇": 0, "○": 0, "一": 1, "壹": 1, "二": 2, "贰": 2, "两": 2, "三": 3, "叁": 3,
    "四": 4, "肆": 4, "五": 5, "伍": 5, "六": 6, "陆": 6, "七": 7, "柒": 7, "八": 8, "捌": 8, "九": 9, "玖": 9 };
  var UNITS = { "十": 10, "拾": 10, "百": 100, "佰": 100, "千": 1000, "仟": 1000, "万": 10000 };

  function numeral(text) {
    text = text.replace(/[０-９]/g, function (d) { return String.fromCharCode(d.charCodeAt(0) - 0xFEE0); });
    if (/^[0-9]+$/.test(text)) { return parseInt(text, 10); }
    if (!text) { return NaN; }
    var chars = text.split("");
    if (chars.every(function (ch) { return ch in DIGITS; })) {
      return parseInt(chars.map(function (ch) { return DIGITS[ch]; }).join(""), 10);
    }
    var total = 0, section = 0, digit = 0, pending = false;
    for (var i = 0; i < chars.length; i++) {
      var ch = chars[i];
      if (ch in DIGITS) { digit = DIGITS[ch]; pending = true; }
      else if (ch in UNITS) {
        if (UNITS[ch] === 10000) { section += digit; total += (section || 1) * 10000; section = 0; }
        else { section += (pending ? digit : 1) * UNITS[ch]; }
        digit = 0; pending = false;
      } else { return NaN; }
    }
    return total + section + digit;
  }

  /** "第十条之一", "10之1", "10-1", "八" -> "article-10-1" / "article-8"; null when not a number. */
  function articleAnchor(text) {
    var bare = text.replace(/\s+/g, "").replace(/^第/, "").replace(/条$/, "");
    var parts = bare.split(/之|-|－/);
    if (parts.length > 2) { return null; }
    var number = numeral(parts[0].replace(/条$/, ""));
    var suffix = parts.length === 2 ? numeral(parts[1]) : 0;
    if (!(number > 0) || isNaN(suffix)) { return null; }
    return "article-" + number + (suffix ? "-" + suffix : "");
  }

  function setupJump() {
    var forms = document.querySelectorAll("form[data-kb-jump]");
    Array.prototype.forEach.call(forms, function (form) {
      form.hidden = false;
      var input = form.querySelector("input");
      var message = form.querySelector(".kb-jump-message");
      form.addEventListener("submit", function (event) {
        event.preventDefault();
        var anchor = articleAnchor(input.value);
        if (!anchor) { message.textContent = "请输入条号，如 八 或 8"; return; }
        var target = document.getElementById(anchor);
        if (!target) { message.textContent = "本页没有第" + input.value.replace(/^第|条$/g, "") + "条"; return; }
        message.textContent = "";
        var details = form.closest("details");
        if (window.location.hash === "#" + anchor) { target.scrollIntoView(); }
        else { window.location.hash = anchor; }
        if (details) { details.open = false; }
      });
    });
  }

  function ready() {
    markPrintedLinks();
    setupCompare();
    setupJump();
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", ready);
  } else {
    ready();
  }
})();

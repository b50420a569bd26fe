/* 法规知识库: "复制引用" copies 《法规名称》第N条 and the article's address. No network access. */
(function () {
  "use strict";

  function articleUrl(anchor) {
    var url = new URL(window.location.href);
    url.hash = anchor;
    // Decode so that a Chinese path stays readable when pasted into an OA message.
    try { return decodeURI(url.href); } catch (e) { return url.href; }
  }

  function readable(href) {
    try { return decodeURI(href); } catch (e) { return href; }
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
    // On a law page the button names its anchor; elsewhere (the results page) the whole address.
    var href = button.getAttribute("data-href");
    var text = button.getAttribute("data-cite") + " " + (href ? readable(href) : articleUrl(button.getAttribute("data-anchor")));
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

  // Wide screens hide the outline block (Material's sidebars take its place), and with it the
  // jump box: a copy goes to the top of the table-of-contents sidebar, where only they see it.
  function placeSidebarJump() {
    var form = document.querySelector("details.kb-outline form[data-kb-jump]");
    var sidebar = document.querySelector(".md-sidebar--secondary .md-sidebar__inner");
    if (!form || !sidebar) { return; }
    var holder = document.createElement("div");
    holder.className = "md-typeset kb-jump-side";
    holder.appendChild(form.cloneNode(true));
    sidebar.insertBefore(holder, sidebar.firstChild);
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
        // Close the outline first (it sits above the articles) and let go of the box: the browser
        // otherwise keeps the focused box in view and undoes a scroll to the article (a second
        // jump to the same article changes no hash, so only the scroll can take the reader there).
        var details = form.closest("details");
        input.blur();
        if (details) { details.open = false; }
        if (window.location.hash === "#" + anchor) {
          window.requestAnimationFrame(function () { target.scrollIntoView(); });
        } else { window.location.hash = anchor; }
      });
    });
  }


  // Citation previews: a.kb-cite shows the cited article (first lines, status, 条文已变化) on hover,
  // keyboard focus or a first tap (a second tap follows the link). The text comes from the JSON the
  // build writes per regulation (assets/kb/articles/<page>.json), fetched on first use; no network.
  var previewFiles = {};
  var tip = null;
  var tipLink = null;
  var hideTimer = null;
  var lastPointer = { type: "", time: 0 };

  function siteRoot() {
    var node = document.getElementById("__config");
    var base = ".";
    if (node) { try { base = JSON.parse(node.textContent).base || "."; } catch (e) { base = "."; } }
    return new URL(base.replace(/\/?$/, "/"), window.location.href);
  }

  function previewTarget(link) {
    var url = new URL(link.getAttribute("href") || "", window.location.href);
    var root = siteRoot();
    if (url.origin !== root.origin || url.pathname.indexOf(root.pathname) !== 0) { return null; }
    var rest;
    try { rest = decodeURIComponent(url.pathname.slice(root.pathname.length)); } catch (e) { return null; }
    var match = /^laws\/(.+?)(?:\/index\.html|\/|\.html)$/.exec(rest);
    if (!match) { return null; }
    return { file: new URL("assets/kb/articles/" + match[1] + ".json", root).href, anchor: url.hash.slice(1) };
  }

  function loadPreview(file) {
    if (!previewFiles[file]) {
      previewFiles[file] = fetch(file).then(function (response) {
        if (!response.ok) { throw new Error("no preview"); }
        return response.json();
      });
      previewFiles[file].catch(function () { delete previewFiles[file]; });
    }
    return previewFiles[file];
  }

  /** The 条文已变化 badge of the citation the link belongs to (it follows the citation's last part). */
  function alertFor(link) {
    var node = link.nextSibling;
    while (node) {
      if (node.nodeType === 3) {
        if (node.textContent.replace(/\s/g, "").length > 3) { return ""; }  // another sentence
      } else if (node.nodeType === 1) {
        if (node.classList.contains("kb-cite-alert")) { return node.getAttribute("title") || ""; }
        if (!node.classList.contains("kb-cite") && !node.classList.contains("kb-cite-status")) { return ""; }
      }
      node = node.nextSibling;
    }
    return "";
  }

  function tipElement() {
    if (tip) { return tip; }
    tip = document.createElement("div");
    tip.className = "kb-cite-preview";
    tip.id = "kb-cite-preview";
    tip.setAttribute("role", "tooltip");
    tip.hidden = true;
    tip.addEventListener("pointerenter", function () { clearTimeout(hideTimer); });
    tip.addEventListener("pointerleave", function (event) { if (event.pointerType === "mouse") { hideSoon(); } });
    document.body.appendChild(tip);
    return tip;
  }

  function line(className, text) {
    var node = document.createElement("p");
    node.className = className;
    node.textContent = text;
    return node;
  }

  function fill(link, data, anchor, failed) {
    var el = tipElement();
    while (el.firstChild) { el.removeChild(el.firstChild); }
    var head = line("kb-cite-preview-title", link.getAttribute("data-kb-title") || link.textContent);
    if (data) {
      var badge = document.createElement("span");
      badge.className = "kb-status kb-status--" + data.status_class;
      badge.textContent = data.version ? data.status + "（" + data.version + " 文本）" : data.status;
      head.appendChild(document.createTextNode(" "));
      head.appendChild(badge);
    }
    el.appendChild(head);
    var alert = alertFor(link);
    if (alert) { el.appendChild(line("kb-cite-preview-alert", "条文已变化：" + alert)); }
    if (failed) {
      el.appendChild(line("kb-cite-preview-note", "条文预览暂不可用，请打开链接查看。"));
    } else if (!data) {
      el.appendChild(line("kb-cite-preview-note", "正在载入条文……"));
    } else if (anchor && data.articles[anchor]) {
      var article = data.articles[anchor];
      el.appendChild(line("kb-cite-preview-text", article.label + "\u3000" + article.text));
    } else {
      el.appendChild(line("kb-cite-preview-note", "共 " + data.count + " 条"));
    }
    if (window.matchMedia("(hover: none)").matches) {
      el.appendChild(line("kb-cite-preview-note", "再点一次链接打开该条"));
    }
    place(link);
  }

  function place(link) {
    var el = tipElement();
    var rect = link.getBoundingClientRect();
    var width = Math.min(360, window.innerWidth - 16);
    el.style.width = width + "px";
    el.style.left = Math.max(8, Math.min(rect.left, window.innerWidth - width - 8)) + "px";
    var below = rect.bottom + 6;
    var height = el.offsetHeight;
    el.style.top = (below + height > window.innerHeight && rect.top - height - 6 > 0 ? rect.top - height - 6 : below) + "px";
  }

  function show(link) {
    var target = previewTarget(link);
    if (!target) { return; }
    clearTimeout(hideTimer);
    if (link.hasAttribute("title")) {  // the native tooltip would cover the preview
      link.setAttribute("data-kb-title", link.getAttribute("title"));
      link.removeAttribute("title");
    }
    tipLink = link;
    tipElement().hidden = false;
    link.setAttribute("aria-describedby", "kb-cite-preview");
    fill(link, null, target.anchor, false);
    loadPreview(target.file).then(function (data) {
      if (tipLink === link) { fill(link, data, target.anchor, false); }
    }, function () {
      if (tipLink === link) { fill(link, null, target.anchor, true); }
    });
  }

  function hide() {
    clearTimeout(hideTimer);
    if (tip) { tip.hidden = true; }
    if (tipLink) { tipLink.removeAttribute("aria-describedby"); }
    tipLink = null;
  }

  function hideSoon() {
    clearTimeout(hideTimer);
    hideTimer = setTimeout(hide, 250);
  }

  // Not inside [data-kb-no-preview] (a legal basis box opens on the article text itself).
  function citeLink(node) {
    var link = node && node.closest ? node.closest("a.kb-cite") : null;
    return link && !link.closest("[data-kb-no-preview]") ? link : null;
  }

  function setupCitePreviews() {
    document.addEventListener("pointerdown", function (event) {
      lastPointer = { type: event.pointerType, time: Date.now() };
      if (tip && !tip.hidden && !tip.contains(event.target) && citeLink(event.target) !== tipLink) { hide(); }
    }, true);
    document.addEventListener("pointerover", function (event) {
      var link = citeLink(event.target);
      if (link && event.pointerType === "mouse" && link !== tipLink) { show(link); }
      else if (link && link === tipLink) { clearTimeout(hideTimer); }
    });
    document.addEventListener("pointerout", function (event) {
      var link = citeLink(event.target);
      if (link && event.pointerType === "mouse" && link === tipLink && !link.contains(event.relatedTarget)) { hideSoon(); }
    });
    document.addEventListener("focusin", function (event) {
      var link = citeLink(event.target);
      var byTouch = lastPointer.type !== "mouse" && lastPointer.type !== "" && Date.now() - lastPointer.time < 1000;
      if (link && !byTouch && link !== tipLink) { show(link); }
    });
    document.addEventListener("focusout", function (event) {
      if (citeLink(event.target) && citeLink(event.target) === tipLink && lastPointer.type !== "touch") { hideSoon(); }
    });
    document.addEventListener("keydown", function (event) {
      if (event.key === "Escape" && tip && !tip.hidden) { hide(); }
    });
    document.addEventListener("click", function (event) {
      var link = citeLink(event.target);
      if (!link) { return; }
      var touch = (lastPointer.type === "touch" || lastPointer.type === "pen") && Date.now() - lastPointer.time < 1500;
      if (!touch || !previewTarget(link)) { return; }
      if (tipLink !== link || tip.hidden) {  // first tap: preview; the second tap follows the link
        event.preventDefault();
        show(link);
      } else {
        hide();
      }
    });
    window.addEventListener("scroll", function () { if (tipLink) { place(tipLink); } }, { passive: true });
  }

  // A repealed or older text keeps its banner in view (sticky): a deep-linked article must land
  // below it, not under it. The banner's height varies with the screen, so it is measured.
  function clearBanner() {
    var banner = document.querySelector(".md-content .kb-banner");
    if (!banner) { return; }
    var apply = function () {
      document.documentElement.style.setProperty("--kb-banner-height", banner.offsetHeight + "px");
    };
    apply();
    window.addEventListener("resize", apply);
    var target = window.location.hash && document.getElementById(window.location.hash.slice(1));
    if (target && target.classList.contains("kb-article")) { target.scrollIntoView(); }
  }

  function ready() {
    clearBanner();
    markPrintedLinks();
    setupCompare();
    placeSidebarJump();
    setupJump();
    setupCitePreviews();
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", ready);
  } else {
    ready();
  }
})();

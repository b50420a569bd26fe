/* 法规知识库: the header search box. Article-level results from the static index (search/kb/),
 * as the user types, in the engine's rank order; keyboard: "/" or "s" to focus, ↑ ↓ to move,
 * Enter on a result to open it, Enter in the box (no result chosen) for the results page
 * (search/?q=…, kb-search-page.js), Esc to close.
 *
 * Consecutive hits of one regulation share a header, but a regulation shows at most
 * PER_REGULATION hits while another regulation's hit is still to come: the rest wait behind
 * "该法规另有 N 条", so one regulation with many weak hits never buries a better article below.
 *
 * Every piece of indexed text reaches the page through textContent / createTextNode only, so a
 * document containing <script> or <img onerror=…> shows as text. A part of the index that fails
 * to load produces a visible message (never an endless spinner). No network beyond this site.
 */
(function () {
  "use strict";

  var script = document.currentScript;
  if (!script || !window.KbSearch || !window.fetch) { return; }
  var assetBase = new URL(".", script.src);
  var indexBase = new URL("../../search/kb/", assetBase);
  var siteBase = new URL("../../", assetBase);
  var LIMIT = 20;
  var PER_REGULATION = 3;
  var DEBOUNCE_MS = 60;
  var TIMEOUT_MS = 15000;

  function load(path, hint) {
    var controller = window.AbortController ? new AbortController() : null;
    var timer = setTimeout(function () { if (controller) { controller.abort(); } }, TIMEOUT_MS);
    var init = controller ? { signal: controller.signal } : {};
    if (hint && hint.priority) { init.priority = hint.priority; }  // fetch priority hints (ignored where unknown)
    return fetch(new URL(path, indexBase).href, init)
      .then(function (response) {
        if (!response.ok) { throw new Error(path + "（HTTP " + response.status + "）"); }
        return response.json();
      })
      .catch(function (error) {
        throw new Error(error && error.name === "AbortError" ? path + "（超时）" : (error && error.message) || String(error));
      })
      .finally(function () { clearTimeout(timer); });
  }

  var engine = new window.KbSearch.Engine(load);
  // The results page (kb-search-page.js) queries through the same engine: one cache of index files.
  window.KbSearchBox = { engine: engine, siteBase: siteBase };

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) { node.className = className; }
    if (text !== undefined && text !== null) { node.textContent = text; }
    return node;
  }

  // ------------------------------------------------------------------ the box

  var root = el("div", "kb-search");
  root.setAttribute("role", "search");
  var form = el("form", "kb-search__form");
  form.setAttribute("autocomplete", "off");
  form.setAttribute("novalidate", "");
  var input = el("input", "kb-search__input");
  input.type = "search";
  input.name = "q";
  input.placeholder = "搜索法规条文";
  input.setAttribute("aria-label", "搜索法规条文");
  input.setAttribute("aria-controls", "kb-search-results");
  input.setAttribute("aria-expanded", "false");
  input.setAttribute("autocapitalize", "off");
  input.setAttribute("spellcheck", "false");
  form.appendChild(input);
  var panel = el("div", "kb-search__panel");
  panel.id = "kb-search-results";
  panel.hidden = true;
  var bar = el("div", "kb-search__bar");
  var meta = el("div", "kb-search__meta");
  meta.setAttribute("role", "status");
  meta.setAttribute("aria-live", "polite");
  var toggleLabel = el("label", "kb-search__toggle");
  var toggle = el("input");
  toggle.type = "checkbox";
  toggle.className = "kb-search__in-force";
  try { toggle.checked = window.localStorage.getItem("kb-search-in-force") === "1"; } catch (e) { /* private mode */ }
  toggleLabel.appendChild(toggle);
  toggleLabel.appendChild(document.createTextNode("只看有效"));
  bar.appendChild(meta);
  bar.appendChild(toggleLabel);
  var list = el("div", "kb-search__results");
  var all = el("a", "kb-search__all", "查看全部结果");
  all.hidden = true;
  panel.appendChild(bar);
  panel.appendChild(list);
  panel.appendChild(all);
  root.appendChild(form);
  root.appendChild(panel);

  function mount() {
    var header = document.querySelector(".md-header__inner");
    if (!header) { document.body.insertBefore(root, document.body.firstChild); return; }
    var source = header.querySelector(".md-header__source");
    header.insertBefore(root, source || null);
  }

  // ------------------------------------------------------------------ searching

  var timer = null;
  var generation = 0;

  /** The results page for a query (same directory style as the page we are on). */
  function resultsUrl(query) {
    var path = /\.html$/.test(window.location.pathname) ? "search/index.html" : "search/";
    var url = new URL(path, siteBase);
    url.searchParams.set("q", query);
    if (toggle.checked) { url.searchParams.set("status", "有效"); }
    return url.href;
  }

  function schedule() {
    clearTimeout(timer);
    timer = setTimeout(function () { timer = null; run(); }, DEBOUNCE_MS);
  }

  function setMeta(text, kind) {
    meta.textContent = text;
    meta.className = "kb-search__meta" + (kind ? " kb-search__meta--" + kind : "");
  }

  function open() {
    panel.hidden = false;
    input.setAttribute("aria-expanded", "true");
  }

  function close() {
    panel.hidden = true;
    input.setAttribute("aria-expanded", "false");
  }

  function run() {
    var query = input.value.trim();
    var mine = ++generation;
    if (!query) { list.textContent = ""; all.hidden = true; setMeta(""); close(); return; }
    open();
    setMeta("正在检索…", "busy");
    var options = { limit: LIMIT, status: toggle.checked ? "有效" : null };
    var found;
    engine.search(query, options).then(function (result) {
      found = result;
      return engine.documents(result.hits.map(function (h) { return h.doc; }));
    }).then(function (docs) {
      if (mine !== generation) { return; }
      render(found, docs);
      root.setAttribute("data-shown", query);  // which query the list answers (tests, benchmarks)
    }).catch(function (error) {
      if (mine !== generation) { return; }
      root.setAttribute("data-shown", query);
      list.textContent = "";
      all.hidden = true;
      setMeta("检索索引加载失败：" + ((error && error.message) || error) + "。请刷新页面重试，或联系站点维护人员。", "error");
      meta.setAttribute("role", "alert");
    });
  }

  /** "共 N 条结果" when every match is counted, "N 条以上" when the engine stopped early. */
  function countText(result, shown) {
    var total = Math.max(result.total || 0, shown);
    return result.totalExact ? "共 " + total + " 条结果" : total + " 条以上";
  }

  /**
   * Display entries [{group, docs, folded}] in rank order: a run of one regulation shares an
   * entry; past PER_REGULATION shown hits, a regulation's further hits fold into its last entry
   * while some other regulation's hit still follows (at the tail nothing is folded: nothing is
   * buried under it).
   */
  function arrange(docs) {
    var n = docs.length, onlyFrom = new Array(n + 1), i;
    onlyFrom[n] = null;  // onlyFrom[i]: the group of every hit from i on, or -1 when they differ
    for (i = n - 1; i >= 0; i--) {
      var key = docs[i].group.index;
      onlyFrom[i] = onlyFrom[i + 1] === null || onlyFrom[i + 1] === key ? key : -1;
    }
    var entries = [], shown = new Map(), lastEntry = new Map();
    for (i = 0; i < n; i++) {
      var d = docs[i], g = d.group.index, count = shown.get(g) || 0;
      var otherLater = onlyFrom[i + 1] !== null && onlyFrom[i + 1] !== g;
      if (count >= PER_REGULATION && otherLater) { lastEntry.get(g).folded.push(d); continue; }
      var last = entries[entries.length - 1];
      if (!last || last.group.index !== g) {
        last = { group: d.group, docs: [], folded: [] };
        entries.push(last);
      }
      last.docs.push(d);
      shown.set(g, count + 1);
      lastEntry.set(g, last);
    }
    return entries;
  }

  function hitLink(d, terms) {
    var g = d.group;
    var link = el("a", "kb-search__hit");
    link.href = new URL(d.url, siteBase).href;
    var cite = d.label ? "《" + g.title + "》" + d.label : g.title + (d.chapter ? " · " + d.chapter : "");
    link.appendChild(el("span", "kb-search__cite", cite));
    var snippet = el("span", "kb-search__snippet");
    window.KbSearch.snippet(d.text, terms, 110).forEach(function (piece) {
      snippet.appendChild(piece[1] ? el("mark", null, piece[0]) : document.createTextNode(piece[0]));
    });
    link.appendChild(snippet);
    return link;
  }

  function render(result, docs) {
    meta.setAttribute("role", "status");
    list.textContent = "";
    var query = input.value.trim();
    all.href = resultsUrl(query);
    if (!docs.length) {
      all.hidden = true;
      setMeta(toggle.checked ? "没有找到有效文本中的结果（可取消“只看有效”再试）。" : "没有找到结果，请换个说法或减少关键词。");
      return;
    }
    setMeta(countText(result, docs.length) + (toggle.checked ? "（只看有效）" : ""));
    all.hidden = false;
    all.textContent = "查看全部结果";
    arrange(docs).forEach(function (entry) {
      var g = entry.group;
      var section = el("section", "kb-search__group");
      var head = el("div", "kb-search__group-head");
      head.appendChild(el("span", "kb-search__group-title", g.kind === "article" ? "《" + g.title + "》" : g.title));
      if (g.status) {
        head.appendChild(el("span", "kb-status kb-status--" + engine.statusClass(g.status), g.status));
      }
      if (g.level) { head.appendChild(el("span", "kb-search__level", g.level)); }
      section.appendChild(head);
      entry.docs.forEach(function (d) { section.appendChild(hitLink(d, result.terms)); });
      if (entry.folded.length) {
        var more = el("div", "kb-search__folded");
        more.hidden = true;
        entry.folded.forEach(function (d) { more.appendChild(hitLink(d, result.terms)); });
        var expand = el("button", "kb-search__expand", "该法规另有 " + entry.folded.length + " 条");
        expand.type = "button";
        expand.setAttribute("aria-expanded", "false");
        expand.addEventListener("click", function () {
          more.hidden = false;
          expand.hidden = true;
          expand.setAttribute("aria-expanded", "true");
          var first = more.querySelector(".kb-search__hit");
          if (first) { first.focus(); }
        });
        section.appendChild(expand);
        section.appendChild(more);
      }
      list.appendChild(section);
    });
  }

  // ------------------------------------------------------------------ keyboard

  /** What ↑ ↓ move between: the visible results, the expanders, 查看全部结果. */
  function hits() {
    return Array.prototype.slice.call(panel.querySelectorAll(".kb-search__hit, .kb-search__expand, .kb-search__all"))
      .filter(function (node) { return !node.hidden && !node.closest("[hidden]"); });
  }

  function focusHit(index) {
    var all = hits();
    if (!all.length) { return; }
    index = Math.max(-1, Math.min(index, all.length - 1));
    if (index < 0) { input.focus(); return; }
    all[index].focus();
  }

  input.addEventListener("input", function () {
    engine.prefetch(input.value);  // dictionary buckets load while the user is still typing
    schedule();
  });
  input.addEventListener("focus", function () {
    warmUp();  // the index head, if idle time has not come yet
    if (input.value.trim() && list.childNodes.length) { open(); }
  });
  toggle.addEventListener("change", function () {
    try { window.localStorage.setItem("kb-search-in-force", toggle.checked ? "1" : "0"); } catch (e) { /* ignore */ }
    run();
  });
  form.addEventListener("submit", function (event) {  // Enter in the box: every result, on the results page
    event.preventDefault();
    var query = input.value.trim();
    if (query) { window.location.href = resultsUrl(query); }
  });

  root.addEventListener("keydown", function (event) {
    var all = hits(), at = all.indexOf(document.activeElement);
    if (event.key === "ArrowDown") { event.preventDefault(); open(); focusHit(at + 1); }
    else if (event.key === "ArrowUp") { event.preventDefault(); focusHit(at - 1); }
    else if (event.key === "Escape") {
      event.preventDefault();
      if (panel.hidden || document.activeElement === input) { input.value = ""; list.textContent = ""; all.hidden = true; setMeta(""); close(); input.blur(); }
      else { close(); input.focus(); }
    }
  });

  document.addEventListener("keydown", function (event) {
    if (event.defaultPrevented || event.ctrlKey || event.metaKey || event.altKey) { return; }
    var target = event.target;
    var typing = target && (target.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName));
    if (!typing && (event.key === "/" || event.key === "s" || event.key === "S")) {
      event.preventDefault();
      input.focus();
      input.select();
    }
  });

  document.addEventListener("click", function (event) {
    if (!root.contains(event.target)) { close(); }
  });

  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", mount); }
  else { mount(); }

  // The index head (manifest and regulation names, about 65 KB gzip at 1,500 regulations) loads
  // once the page is idle, so that the first query waits only for its own terms; the browser
  // caches it for every later page.
  function warmUp() { engine.ready().catch(function () { /* reported when a query runs */ }); }
  function whenIdle() { (window.requestIdleCallback || function (f) { setTimeout(f, 300); })(warmUp, { timeout: 2000 }); }
  if (document.readyState === "complete") { whenIdle(); }
  else { window.addEventListener("load", whenIdle); }
})();

/* 法规知识库: the header search box. Article-level results from the static index (search/kb/),
 * as the user types; keyboard: "/" or "s" to focus, ↑ ↓ to move, Enter to open, Esc to close.
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
  var DEBOUNCE_MS = 60;
  var TIMEOUT_MS = 15000;
  var STATUS_CLASS = { "有效": "in-force", "已修改": "amended", "已废止": "repealed", "尚未生效": "not-yet-effective" };

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
  panel.appendChild(bar);
  panel.appendChild(list);
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
  var openFirst = false;  // Enter pressed before the results were there: open the first one when they come

  function schedule() {
    clearTimeout(timer);
    openFirst = false;
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
    if (!query) { list.textContent = ""; setMeta(""); close(); return; }
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
      setMeta("检索索引加载失败：" + ((error && error.message) || error) + "。请刷新页面重试，或联系站点维护人员。", "error");
      meta.setAttribute("role", "alert");
    });
  }

  function render(result, docs) {
    meta.setAttribute("role", "status");
    list.textContent = "";
    if (!docs.length) {
      openFirst = false;
      setMeta(toggle.checked ? "没有找到有效文本中的结果（可取消“只看有效”再试）。" : "没有找到结果，请换个说法或减少关键词。");
      return;
    }
    setMeta("共 " + docs.length + " 条结果" + (toggle.checked ? "（只看有效）" : ""));
    if (openFirst) { openFirst = false; window.location.href = new URL(docs[0].url, siteBase).href; }
    var groups = [], byGroup = new Map();
    docs.forEach(function (d) {
      var key = d.group.index;
      if (!byGroup.has(key)) { byGroup.set(key, { group: d.group, docs: [] }); groups.push(byGroup.get(key)); }
      byGroup.get(key).docs.push(d);
    });
    groups.forEach(function (entry) {
      var g = entry.group;
      var section = el("section", "kb-search__group");
      var head = el("div", "kb-search__group-head");
      head.appendChild(el("span", "kb-search__group-title", g.kind === "article" ? "《" + g.title + "》" : g.title));
      if (g.status) {
        head.appendChild(el("span", "kb-status kb-status--" + (STATUS_CLASS[g.status] || "other"), g.status));
      }
      if (g.level) { head.appendChild(el("span", "kb-search__level", g.level)); }
      section.appendChild(head);
      entry.docs.forEach(function (d) {
        var link = el("a", "kb-search__hit");
        link.href = new URL(d.url, siteBase).href;
        var cite = d.label ? "《" + g.title + "》" + d.label : g.title + (d.chapter ? " · " + d.chapter : "");
        link.appendChild(el("span", "kb-search__cite", cite));
        var snippet = el("span", "kb-search__snippet");
        window.KbSearch.snippet(d.text, result.terms, 110).forEach(function (piece) {
          snippet.appendChild(piece[1] ? el("mark", null, piece[0]) : document.createTextNode(piece[0]));
        });
        link.appendChild(snippet);
        section.appendChild(link);
      });
      list.appendChild(section);
    });
  }

  // ------------------------------------------------------------------ keyboard

  function hits() { return Array.prototype.slice.call(list.querySelectorAll(".kb-search__hit")); }

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
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    var first = hits()[0];
    if (first && !panel.hidden && meta.className.indexOf("busy") < 0 && timer === null) { window.location.href = first.href; }
    else { clearTimeout(timer); timer = null; openFirst = true; run(); }
  });

  root.addEventListener("keydown", function (event) {
    var all = hits(), at = all.indexOf(document.activeElement);
    if (event.key === "ArrowDown") { event.preventDefault(); open(); focusHit(at + 1); }
    else if (event.key === "ArrowUp") { event.preventDefault(); focusHit(at - 1); }
    else if (event.key === "Escape") {
      event.preventDefault();
      if (panel.hidden || document.activeElement === input) { input.value = ""; list.textContent = ""; setMeta(""); close(); input.blur(); }
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

/* 法规知识库: the results page search/?q=… — every match of a query, 20 to a page.
 *
 * The address holds the whole state (q, level, status, law, category, kind, sort, page), so a
 * results list can be bookmarked and pasted into an OA message. The engine is the header box's
 * (window.KbSearchBox, kb-search-ui.js): the same static index, the same ranking. Page one of a
 * plain query paints from an ordinary top-20 search first; the full search (every match, for the
 * count, the facets and the later pages) follows. Filters, sorting and paging then work on that
 * full list without searching again (history.pushState; Back works).
 *
 * All indexed text reaches the page through textContent / createTextNode only.
 */
(function () {
  "use strict";

  var root = document.getElementById("kb-results");
  if (!root || !window.KbSearchBox || !window.KbSearch) { return; }
  var engine = window.KbSearchBox.engine;
  var siteBase = window.KbSearchBox.siteBase;
  var PAGE_SIZE = parseInt(root.getAttribute("data-page-size"), 10) || 20;
  var TOP_LAWS = 10;
  var STATUS_CLASS = { "有效": "in-force", "已修改": "amended", "已废止": "repealed", "尚未生效": "not-yet-effective" };
  var KIND_LABEL = { article: "条文", standard: "裁量基准", power: "权力事项", study: "学法计划", classroom: "讲堂",
    page: "其他页面" };
  /** The facets, in the order shown; `values(group)` gives a group's values for the facet. */
  var FACETS = [
    { key: "level", label: "效力级别", values: function (g) { return g.level ? [g.level] : []; } },
    { key: "status", label: "时效性", values: function (g) { return g.status ? [g.status] : []; } },
    { key: "law", label: "法规", values: function (g) { return g.kind === "article" ? [g.law] : []; }, top: TOP_LAWS },
    { key: "category", label: "分类", values: function (g) { return (g.category || "").split(" ").filter(Boolean); } },
    { key: "kind", label: "类型", values: function (g) { return [kindOf(g)]; } },
  ];
  var FILTER_KEYS = FACETS.map(function (f) { return f.key; });

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) { node.className = className; }
    if (text !== undefined && text !== null) { node.textContent = text; }
    return node;
  }

  /** 条文, 裁量基准, 权力事项, 学法计划, 讲堂 or other pages: from the group's kind and address. */
  function kindOf(g) {
    if (g.kind === "article") { return "article"; }
    if (g.kind === "standard") { return "standard"; }  // 行政处罚裁量基准 entries
    var url = g.url || "";
    if (url.indexOf("powers/") === 0) { return "power"; }
    if (url.indexOf("study/") === 0) { return "study"; }
    if (url.indexOf("classroom/") === 0) { return "classroom"; }
    return "page";
  }

  // ------------------------------------------------------------------ state <-> address

  function readState() {
    var params = new URLSearchParams(window.location.search);
    var state = { q: (params.get("q") || "").trim(), sort: params.get("sort") === "date" ? "date" : "relevance",
                  page: Math.max(1, parseInt(params.get("page"), 10) || 1), filters: {} };
    FILTER_KEYS.forEach(function (key) { var v = params.get(key); if (v) { state.filters[key] = v; } });
    return state;
  }

  function addressOf(state) {
    var params = new URLSearchParams();
    params.set("q", state.q);
    FILTER_KEYS.forEach(function (key) { if (state.filters[key]) { params.set(key, state.filters[key]); } });
    if (state.sort === "date") { params.set("sort", "date"); }
    if (state.page > 1) { params.set("page", String(state.page)); }
    return window.location.pathname + "?" + params.toString();
  }

  function withChange(state, change) {
    var next = { q: state.q, sort: state.sort, page: 1, filters: Object.assign({}, state.filters) };
    Object.keys(change).forEach(function (key) {
      if (key === "sort" || key === "page") { next[key] = change[key]; }
      else if (change[key] === null) { delete next.filters[key]; }
      else { next.filters[key] = change[key]; }
    });
    return next;
  }

  // ------------------------------------------------------------------ the page's parts

  root.textContent = "";
  var form = el("form", "kb-results__form");
  form.setAttribute("role", "search");
  var input = el("input", "kb-results__input");
  input.type = "search";
  input.name = "q";
  input.setAttribute("aria-label", "检索词");
  input.placeholder = "输入要查的事项、法规名称或条号";
  var submit = el("button", "kb-results__submit md-button md-button--primary", "检索");
  submit.type = "submit";
  form.appendChild(input);
  form.appendChild(submit);
  var summary = el("p", "kb-results__summary");
  summary.setAttribute("role", "status");
  summary.setAttribute("aria-live", "polite");
  summary.tabIndex = -1;
  var controls = el("div", "kb-results__controls");
  var inForceLabel = el("label", "kb-results__in-force");
  var inForce = el("input");
  inForce.type = "checkbox";
  inForceLabel.appendChild(inForce);
  inForceLabel.appendChild(document.createTextNode("只看有效"));
  var sortGroup = el("div", "kb-results__sort");
  sortGroup.setAttribute("role", "group");
  sortGroup.setAttribute("aria-label", "排序");
  sortGroup.appendChild(el("span", "kb-results__sort-label", "排序："));
  var sortLinks = {};
  [["relevance", "按相关度"], ["date", "按日期"]].forEach(function (pair) {
    var link = el("a", "kb-results__sort-option", pair[1]);
    link.setAttribute("data-sort", pair[0]);
    sortLinks[pair[0]] = link;
    sortGroup.appendChild(link);
  });
  controls.appendChild(inForceLabel);
  controls.appendChild(sortGroup);
  var layout = el("div", "kb-results__layout");
  var facetBox = el("details", "kb-results__facets");
  facetBox.open = !window.matchMedia || !window.matchMedia("(max-width: 44.9375em)").matches;
  facetBox.appendChild(el("summary", "kb-results__facets-title", "筛选"));
  var facetBody = el("nav", "kb-results__facet-body");
  facetBody.setAttribute("aria-label", "筛选结果");
  facetBox.appendChild(facetBody);
  var main = el("div", "kb-results__main");
  var chips = el("div", "kb-results__chips");
  var listEl = el("ol", "kb-results__list");
  listEl.setAttribute("aria-label", "检索结果");
  var empty = el("div", "kb-results__empty");
  var pager = el("nav", "kb-results__pager");
  pager.setAttribute("aria-label", "分页");
  main.appendChild(chips);
  main.appendChild(empty);
  main.appendChild(listEl);
  main.appendChild(pager);
  layout.appendChild(facetBox);
  layout.appendChild(main);
  root.appendChild(form);
  root.appendChild(summary);
  root.appendChild(controls);
  root.appendChild(layout);

  // ------------------------------------------------------------------ searching

  var state = readState();
  var full = null;      // {q, hits, terms} of the full search for state.q
  var generation = 0;

  function setSummary(text, kind) {
    summary.textContent = text;
    summary.className = "kb-results__summary" + (kind ? " kb-results__summary--" + kind : "");
    summary.setAttribute("role", kind === "error" ? "alert" : "status");
  }

  function start() {
    var mine = ++generation;
    full = null;
    input.value = state.q;
    document.title = (state.q ? "“" + state.q + "”的检索结果" : "检索结果") + " - " + (document.title.split(" - ").pop() || "");
    layout.hidden = !state.q;
    controls.hidden = !state.q;
    if (!state.q) { setSummary("请输入要查的事项、法规名称或条号，按回车检索。"); return; }
    setSummary("正在检索…", "busy");
    var plain = state.page === 1 && state.sort === "relevance" && !Object.keys(state.filters).length;
    var quick = plain ? engine.search(state.q, { limit: PAGE_SIZE }).then(function (result) {
      if (mine !== generation || full) { return; }
      return paint(result.hits, result, false, mine);
    }) : Promise.resolve();
    // The full search after page one is drawn: its later postings tiers would otherwise compete
    // with page one's files for the browser's few connections.
    var whole = quick.then(function () { return engine.search(state.q, { all: true }); }).then(function (result) {
      if (mine !== generation) { return; }
      full = { q: state.q, hits: result.hits, terms: result.terms, dates: null };
      return state.sort === "date" ? loadDates() : null;
    });
    whole.then(function () {
      if (mine === generation && full) { return show(mine); }
    }).catch(function (error) {
      if (mine !== generation) { return; }
      var message = "检索索引加载失败：" + ((error && error.message) || error) + "。请刷新页面重试，或联系站点维护人员。";
      root.setAttribute("data-shown", state.q);
      if (listEl.childNodes.length) {  // page one is on screen: keep it, say what is missing
        facetBody.textContent = "";
        facetBody.appendChild(el("p", "kb-results__facet-wait", "未能统计全部结果。"));
        var note = el("p", "kb-results__summary kb-results__summary--error", message);
        note.setAttribute("role", "alert");
        empty.textContent = "";
        empty.appendChild(note);
        return;
      }
      listEl.textContent = ""; pager.textContent = ""; facetBody.textContent = ""; empty.textContent = "";
      setSummary(message, "error");
    });
  }

  function loadDates() {
    return engine.groupDates().then(function (dates) { full.dates = dates; });
  }

  /** Whether a hit's group passes every filter of the state except `skip`. */
  function passes(g, filters, skip) {
    for (var i = 0; i < FACETS.length; i++) {
      var facet = FACETS[i], want = filters[facet.key];
      if (!want || facet.key === skip) { continue; }
      if (facet.values(g).indexOf(want) < 0) { return false; }
    }
    return true;
  }

  function ordered(hits) {
    if (state.sort !== "date" || !full.dates) { return hits; }
    var dates = full.dates;
    return hits.map(function (h, i) { return [h, dates[h.group.index] || "", i]; })
      .sort(function (a, b) { return a[1] === b[1] ? a[2] - b[2] : (a[1] < b[1] ? 1 : -1); })
      .map(function (x) { return x[0]; });
  }

  /** The page of the state from the full search: filters, sort, facets, paging. */
  function show(mine) {
    if (state.sort === "date" && !full.dates) { return loadDates().then(function () { return show(mine); }); }
    var matching = ordered(full.hits.filter(function (h) { return passes(h.group, state.filters, null); }));
    var pages = Math.max(1, Math.ceil(matching.length / PAGE_SIZE));
    if (state.page > pages) { state.page = pages; }
    var from = (state.page - 1) * PAGE_SIZE;
    renderFacets();
    renderChips();
    renderPager(pages);
    return paint(matching.slice(from, from + PAGE_SIZE), { total: matching.length, totalExact: true, terms: full.terms }, true, mine, from);
  }

  /** One page of hits (their stored text loads here); `final` false: the quick first page. */
  function paint(hits, result, final, mine, from) {
    from = from || 0;
    return engine.documents(hits.map(function (h) { return h.doc; })).then(function (docs) {
      if (mine !== generation) { return; }
      renderControls();
      listEl.textContent = "";
      empty.textContent = "";
      if (!final) {
        pager.textContent = "";
        facetBody.textContent = "";
        facetBody.appendChild(el("p", "kb-results__facet-wait", "正在统计…"));
      }
      if (!docs.length && final) { renderEmpty(); }
      docs.forEach(function (d, i) { listEl.appendChild(hitItem(d, result.terms, from + i + 1)); });
      listEl.start = from + 1;
      if (docs.length) {
        var count = final || result.totalExact ? "共 " + Math.max(result.total, docs.length) + " 条结果" : Math.max(result.total, docs.length) + " 条以上结果";
        setSummary(count + (final && hits.length ? "，第 " + (from + 1) + "–" + (from + docs.length) + " 条" : "") +
          (state.filters.status === "有效" ? "（只看有效）" : ""));
      }
      root.setAttribute("data-shown", state.q);
      root.setAttribute("data-complete", final ? "1" : "0");
    });
  }

  function hitItem(d, terms, rank) {
    var g = d.group;
    var item = el("li", "kb-results__hit");
    item.setAttribute("data-rank", String(rank));
    var head = el("div", "kb-results__hit-head");
    var link = el("a", "kb-results__cite");
    link.href = new URL(d.url, siteBase).href;
    var cite = d.label ? "《" + g.title + "》" + d.label : g.title + (d.chapter ? " · " + d.chapter : "");
    link.textContent = cite;
    head.appendChild(link);
    if (g.status) { head.appendChild(el("span", "kb-status kb-status--" + (STATUS_CLASS[g.status] || "other"), g.status)); }
    if (g.level) { head.appendChild(el("span", "kb-results__level", g.level)); }
    if (g.kind !== "article") { head.appendChild(el("span", "kb-results__kind", KIND_LABEL[kindOf(g)])); }
    if (full && full.dates && full.dates[g.index]) { head.appendChild(el("span", "kb-results__date", full.dates[g.index])); }
    item.appendChild(head);
    var snippet = el("p", "kb-results__snippet");
    window.KbSearch.snippet(d.text, terms, 160).forEach(function (piece) {
      snippet.appendChild(piece[1] ? el("mark", null, piece[0]) : document.createTextNode(piece[0]));
    });
    item.appendChild(snippet);
    if (d.label) {
      var copy = el("button", "kb-copy", "复制引用");
      copy.type = "button";
      // As on the law page (laws/render.py version_qualifier): a repealed text says so.
      copy.setAttribute("data-cite", "《" + g.title + "》" + (g.status === "已废止" ? "（已废止）" : "") + d.label);
      copy.setAttribute("data-href", link.href);
      copy.title = "复制引用（法规名称、条号和链接）";
      item.appendChild(copy);
    }
    return item;
  }

  function stateLink(className, text, change) {
    var link = el("a", className, text);
    var next = withChange(state, change);
    link.href = addressOf(next);
    link.addEventListener("click", function (event) {
      if (event.ctrlKey || event.metaKey || event.shiftKey || event.button) { return; }
      event.preventDefault();
      go(next, true);
    });
    return link;
  }

  function renderControls() {
    inForce.checked = state.filters.status === "有效";
    Object.keys(sortLinks).forEach(function (key) {
      var link = sortLinks[key], next = withChange(state, { sort: key });
      link.href = addressOf(next);
      if (key === state.sort) { link.setAttribute("aria-current", "true"); } else { link.removeAttribute("aria-current"); }
    });
  }

  function renderFacets() {
    facetBody.textContent = "";
    FACETS.forEach(function (facet) {
      var counts = new Map(), titles = new Map();
      full.hits.forEach(function (h) {
        if (!passes(h.group, state.filters, facet.key)) { return; }
        facet.values(h.group).forEach(function (v) {
          counts.set(v, (counts.get(v) || 0) + 1);
          if (facet.key === "law") { titles.set(v, h.group.title); }
        });
      });
      var values = Array.from(counts.keys()).sort(function (a, b) { return counts.get(b) - counts.get(a) || (a < b ? -1 : 1); });
      if (facet.top) { values = values.slice(0, facet.top); }
      var chosen = state.filters[facet.key];
      if (chosen && values.indexOf(chosen) < 0) { values.unshift(chosen); }
      if (!values.length) { return; }
      var section = el("section", "kb-results__facet");
      section.setAttribute("data-facet", facet.key);
      var title = el("h2", "kb-results__facet-title", facet.label);
      title.id = "kb-facet-" + facet.key;
      section.appendChild(title);
      var ul = el("ul", "kb-results__facet-list");
      ul.setAttribute("aria-labelledby", title.id);
      values.forEach(function (v) {
        var label = facet.key === "law" ? "《" + (titles.get(v) || v) + "》" : facet.key === "kind" ? KIND_LABEL[v] : v;
        var on = chosen === v, change = {};
        change[facet.key] = on ? null : v;
        var link = stateLink("kb-results__facet-value", "", change);
        link.appendChild(el("span", "kb-results__facet-label", label));
        link.appendChild(el("span", "kb-results__count", String(counts.get(v) || 0)));
        link.setAttribute("aria-pressed", on ? "true" : "false");
        link.setAttribute("data-value", v);
        link.title = on ? "取消这个筛选" : "只看" + label;
        var li = el("li");
        li.appendChild(link);
        ul.appendChild(li);
      });
      section.appendChild(ul);
      facetBody.appendChild(section);
    });
  }

  function filterLabel(key, value) {
    if (key === "kind") { return KIND_LABEL[value] || value; }
    if (key === "law") {
      var hit = full && full.hits.find(function (h) { return h.group.law === value; });
      return "《" + (hit ? hit.group.title : value) + "》";
    }
    return value;
  }

  function renderChips() {
    chips.textContent = "";
    var keys = FILTER_KEYS.filter(function (k) { return state.filters[k]; });
    if (!keys.length) { return; }
    chips.appendChild(el("span", "kb-results__chips-label", "筛选："));
    keys.forEach(function (key) {
      var change = {};
      change[key] = null;
      var facet = FACETS.find(function (f) { return f.key === key; });
      var chip = stateLink("kb-results__chip", facet.label + "：" + filterLabel(key, state.filters[key]) + " ×", change);
      chip.setAttribute("aria-label", "去掉筛选 " + facet.label + "：" + filterLabel(key, state.filters[key]));
      chips.appendChild(chip);
    });
  }

  function renderPager(pages) {
    pager.textContent = "";
    if (pages <= 1) { return; }
    var current = state.page;
    function pageLink(n, text, rel) {
      if (n < 1 || n > pages) { return el("span", "kb-results__page kb-results__page--off", text); }
      var link = stateLink("kb-results__page", text, { page: n });
      if (rel) { link.rel = rel; }
      if (n === current && !rel) { link.setAttribute("aria-current", "page"); }
      link.setAttribute("aria-label", rel ? text : "第 " + n + " 页");
      return link;
    }
    pager.appendChild(pageLink(current - 1, "上一页", "prev"));
    var shown = new Set([1, pages]);
    for (var n = current - 2; n <= current + 2; n++) { if (n >= 1 && n <= pages) { shown.add(n); } }
    var last = 0;
    Array.from(shown).sort(function (a, b) { return a - b; }).forEach(function (n) {
      if (n > last + 1) { pager.appendChild(el("span", "kb-results__gap", "…")); }
      pager.appendChild(pageLink(n, String(n)));
      last = n;
    });
    pager.appendChild(pageLink(current + 1, "下一页", "next"));
  }

  /** No results: say so, offer to drop the filters (with what remains), suggest regulation titles. */
  function renderEmpty() {
    var keys = FILTER_KEYS.filter(function (k) { return state.filters[k]; });
    if (keys.length && full.hits.length) {
      setSummary("在当前筛选条件下没有结果。");
      empty.appendChild(el("p", null, "去掉筛选条件，共有 " + full.hits.length + " 条结果："));
      var offers = el("p", "kb-results__offers");
      keys.forEach(function (key) {
        var change = {}, rest = Object.assign({}, state.filters);
        change[key] = null;
        delete rest[key];
        var count = full.hits.filter(function (h) { return passes(h.group, rest, null); }).length;
        offers.appendChild(stateLink("kb-results__offer md-button", "去掉“" + filterLabel(key, state.filters[key]) + "”（" + count + " 条）", change));
      });
      if (keys.length > 1) {
        var none = {};
        keys.forEach(function (k) { none[k] = null; });
        offers.appendChild(stateLink("kb-results__offer md-button", "去掉全部筛选", none));
      }
      empty.appendChild(offers);
      return;
    }
    setSummary("没有找到与“" + state.q + "”相关的结果。");
    empty.appendChild(el("p", null, "请换个说法、减少关键词，或检查法规名称和条号是否写对。"));
    var titles = closestTitles(state.q, 5);
    if (titles.length) {
      empty.appendChild(el("p", null, "名称相近的法规："));
      var ul = el("ul", "kb-results__suggestions");
      titles.forEach(function (g) {
        var li = el("li"), link = el("a", null, "《" + g.title + "》");
        link.href = new URL(g.url, siteBase).href;
        li.appendChild(link);
        ul.appendChild(li);
      });
      empty.appendChild(ul);
    }
  }

  /** Current regulations whose titles share the most characters (then bigrams) with the query. */
  function closestTitles(query, n) {
    var chars = new Set(Array.from(query).filter(function (c) { return /[\u4e00-\u9fff]/.test(c); }));
    var grams = new Set();
    var q = Array.from(query);
    for (var i = 0; i + 1 < q.length; i++) { grams.add(q[i] + q[i + 1]); }
    var scored = [];
    (engine.groups || []).forEach(function (g) {
      if (g.kind !== "article" || g.current !== g.law) { return; }
      var t = Array.from(g.title), score = 0, seen = new Set();
      t.forEach(function (c, k) {
        if (chars.has(c) && !seen.has(c)) { score += 1; seen.add(c); }
        if (k + 1 < t.length && grams.has(c + t[k + 1])) { score += 2; }
      });
      if (score > 0) { scored.push([score, g]); }
    });
    scored.sort(function (a, b) { return b[0] - a[0] || a[1].title.length - b[1].title.length; });
    return scored.slice(0, n).map(function (x) { return x[1]; });
  }

  // ------------------------------------------------------------------ moving between states

  /** Show another state: a new query searches again; filters, sort and page reuse the full list. */
  function go(next, push) {
    var sameQuery = next.q === state.q && full;
    state = next;
    if (push) { window.history.pushState(null, "", addressOf(state)); }
    if (!sameQuery) { start(); return; }
    var mine = ++generation;
    show(mine).then(function () { if (push) { summary.focus({ preventScroll: true }); window.scrollTo(0, 0); } });
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    var q = input.value.trim();
    go({ q: q, sort: state.sort, page: 1, filters: q === state.q ? state.filters : {} }, true);
  });
  inForce.addEventListener("change", function () { go(withChange(state, { status: inForce.checked ? "有效" : null }), true); });
  Object.keys(sortLinks).forEach(function (key) {
    sortLinks[key].addEventListener("click", function (event) {
      if (event.ctrlKey || event.metaKey || event.shiftKey || event.button) { return; }
      event.preventDefault();
      go(withChange(state, { sort: key }), true);
    });
  });
  window.addEventListener("popstate", function () { go(readState(), false); });

  start();
})();

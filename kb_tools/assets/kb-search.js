/* 法规知识库: the browser search engine over the static, sharded index (search/kb/).
 *
 * Four plain scripts, loaded in this order (no bundler, no dependencies, no eval), each the
 * twin of one Python module:
 *  - kb-search-analyzer.js: kb_tools/search/analyzer.py (normalise, rjieba cut_for_search with
 *    HMM off, stopwords, question words, synonyms), dictionary buckets loaded per character;
 *  - kb-search-query.js: kb_tools/search/query.py (clean, parse_query);
 *  - kb-search-ranking.js: kb_tools/search/ranking.py (bm25f and its coordination credits,
 *    preliminary, final_score, order_key, accept) over impact-scored postings;
 *  - kb-search.js (this file): kb_tools/search/engine.py, the wiring: loading and caching the
 *    index files, back-off, the references a query makes (named regulation, article, 文号),
 *    postings tiers loaded only while they can still reach the top, and snippets.
 * The engine is a browser global (window.KbSearch; the parts are window.KbSearchParts) and a
 * CommonJS module (Node: tests, kb eval), which requires its parts itself.
 *
 * Public API (what kb-search-ui.js, the results page, static_runner.js and the tests use):
 *   new KbSearch.Engine(load)      load(relPath[, {priority}]) -> Promise of the parsed JSON file
 *                                  below search/kb/ (fetch in the browser, fs under Node).
 *   engine.search(query, options) -> Promise of
 *       {parsed, terms, hits: [{doc, score, group}], total, totalExact}
 *     options: limit (default 10, at most 100), offset (default 0: hits of a later page),
 *     status ("有效" …), level ("法律" …), all (true: every match in rank order, no limit, every
 *     postings tier loaded: the results page counts facets over all of them). `hits` are in the ranking's order exactly as
 *     `kb search` ranks them: never grouped or capped per regulation (grouping is the UI's
 *     choice). `total` is the number of matching documents (all pages); `totalExact` is false
 *     when phrases or exclusions were checked on the best candidates alone (then `total` is an
 *     upper bound), or when later postings tiers were not needed for the top `limit` and so not
 *     loaded (then `total` is a lower bound: "N 条以上").
 *   engine.documents(docIds)       -> Promise of [{doc, label, url, chapter, text, group}]
 *   engine.prefetch(query)         start loading what a query being typed needs.
 *   engine.ready()                 -> Promise: groups (regulations/pages) loaded.
 *   engine.groupDates()            -> Promise of each group's date (施行日期, else 公布日期; "" for
 *                                  pages), in group order (dates.json, loaded only when asked).
 *   engine.vocabulary()            -> Promise of {statuses: [{value, css}], levels: [效力级别 …]}.
 *   engine.statusClass(status)     the badge class of a 时效性 ("in-force" …; "other"), once loaded.
 *   group fields: title, url, status (时效性), level (效力级别), kind ("article"|"section"),
 *     law, current, docno, category; the vocabulary of status and level comes from Python
 *     (kb_tools/model.py) through manifest.json ("vocabulary").
 *   KbSearch.snippet(text, terms[, width]) -> [[piece, isMatch], …] (never HTML).
 *   KbSearch.normalise, clean, cnToInt, termHash, bucketOf, Segmenter, Analyzer: the analyzer twin.
 */
(function (root, factory) {
  "use strict";
  if (typeof module === "object" && module.exports) {
    module.exports = factory(require("./kb-search-analyzer.js"), require("./kb-search-query.js"),
                             require("./kb-search-ranking.js"));
  } else {
    var parts = root.KbSearchParts || {};
    root.KbSearch = factory(parts.analyzer, parts.query, parts.ranking);
  }
})(typeof self !== "undefined" ? self : this, function (analyzer, query, ranking) {
  "use strict";

  var normalise = analyzer.normalise, termHash = analyzer.termHash, Analyzer = analyzer.Analyzer;
  var clean = query.clean, longestFirst = query.longestFirst;

  // ---------------------------------------------------------------- the engine

  function decodePostings(flat) {
    var docs = [], impacts = [], doc = 0;
    for (var i = 0; i < flat.length; i += 2) { doc += flat[i]; docs.push(doc); impacts.push(flat[i + 1]); }
    return { docs: docs, impacts: impacts };
  }

  /** A group's article keys, expanded from its runs the first time they are needed. */
  function articlesOf(group) {
    if (!group.articles) { group.articles = expandRuns(group.runs); }
    return group.articles;
  }

  function expandRuns(runs) {
    // "1-12,12.1,13-20" -> [[1,0], ..., [12,0], [12,1], [13,0], ...]
    var out = [];
    if (!runs) { return out; }
    for (var part of runs.split(",")) {
      var dash = part.indexOf("-"), dot = part.indexOf(".");
      if (dash > 0) {
        var a = parseInt(part.slice(0, dash), 10), b = parseInt(part.slice(dash + 1), 10);
        for (var n = a; n <= b; n++) { out.push([n, 0]); }
      } else if (dot > 0) {
        out.push([parseInt(part.slice(0, dot), 10), parseInt(part.slice(dot + 1), 10)]);
      } else { out.push([parseInt(part, 10), 0]); }
    }
    return out;
  }

  /**
   * Engine over one static index. `load(path)` fetches a file below the index directory and
   * resolves to parsed JSON (rejects on any failure: the caller shows a message).
   */
  function Engine(load) {
    this.load = load;
    this.manifest = null;
    this.analyzer = null;
    this.groups = null;
    this.cache = new Map();
  }

  /** A cached load: a failed file is forgotten, so that the next query tries again. */
  Engine.prototype.file = function (path, transform, hint) {
    var self = this;
    if (!this.cache.has(path)) {
      // `hint` ({priority: "low"}) marks a guess, so that the browser serves needed files first.
      var promise = (hint ? this.load(path, hint) : this.load(path)).then(transform || function (x) { return x; });
      promise.catch(function () { self.cache.delete(path); });
      this.cache.set(path, promise);
    }
    return this.cache.get(path);
  };

  /**
   * The manifest alone: enough to build the analyzer, so that dictionary buckets start loading
   * while groups.json (the larger file) is still on its way.
   */
  Engine.prototype.head = function () {
    var self = this;
    if (!this._head) {
      this._head = this.load("manifest.json").then(function (manifest) {
        self.manifest = manifest;
        self.analyzer = new Analyzer(manifest.analyzer, self.load);
      });
      this._head.catch(function () { self._head = null; });
    }
    return this._head;
  };

  /** The shared vocabulary shipped from Python: {statuses: [{value, css}], levels: [...]}. */
  Engine.prototype.vocabulary = function () {
    var self = this;
    return this.head().then(function () { return self.manifest.vocabulary; });
  };

  /**
   * The badge class of a 时效性 (vocabulary.statuses, from kb_tools/model.py), "other" for a value
   * the vocabulary lacks; synchronous, for results (the manifest is in by the time there are any).
   */
  Engine.prototype.statusClass = function (status) {
    var statuses = (this.manifest && this.manifest.vocabulary && this.manifest.vocabulary.statuses) || [];
    for (var i = 0; i < statuses.length; i++) { if (statuses[i].value === status) { return statuses[i].css; } }
    return "other";
  };

  /** The dictionary buckets a query needs (the analyzer's prepare, once the manifest is in). */
  Engine.prototype.prepare = function (query) {
    var self = this;
    return this.head().then(function () {
      return self.analyzer.prepare(clean(query, self.manifest.maxQueryChars));
    });
  };

  /** Manifest and groups (titles, statuses, names): everything a query needs before its terms. */
  Engine.prototype.ready = function () {
    var self = this;
    if (!this._ready) {
      // Both at once: the first query waits for one round trip, not two.
      this._ready = Promise.all([this.head(), this.load("groups.json")]).then(function (both) {
        var data = both[1];
        self.groups = data.groups.map(function (g, index) {
          return { index: index, title: g[0], url: g[1] || "laws/" + g[8] + "/", status: g[2], level: g[3],
                   kind: g[4], first: g[5], count: g[6], runs: g[7], law: g[8],
                   current: g[9] || g[8], docno: g[10], category: g[11] };
        });
        self.names = {};  // name -> slug of the current text (a group index in the file)
        Object.keys(data.names).forEach(function (name) {
          var v = data.names[name];
          self.names[name] = typeof v === "number" ? self.groups[v].law : v;
        });
        self.sortedNames = longestFirst(self.names);
        self.groupStarts = self.groups.map(function (g) { return g.first; });
      });
      this._ready.catch(function () { self._ready = null; });
    }
    return this._ready;
  };

  Engine.prototype.groupOf = function (doc) {
    var lo = 0, hi = this.groupStarts.length - 1;
    while (lo < hi) {
      var mid = (lo + hi + 1) >> 1;
      if (this.groupStarts[mid] <= doc) { lo = mid; } else { hi = mid - 1; }
    }
    return this.groups[lo];
  };

  /** [number, suffix] of an article document, [0, 0] otherwise. */
  Engine.prototype.articleKey = function (doc) {
    var g = this.groupOf(doc);
    return articlesOf(g)[doc - g.first] || [0, 0];
  };

  /** query.parse_query over this index's name table (the analyzer must be prepared for `raw`). */
  Engine.prototype.parseQuery = function (raw) {
    return query.parseQuery(raw, { names: this.names, sortedNames: this.sortedNames,
                                   maxQueryChars: this.manifest.maxQueryChars, analyzer: this.analyzer,
                                   shortenedNames: this.manifest.ranking.articleNumbers !== false });
  };

  /** The postings of a term: the inline tier now, further tiers on demand; null when not indexed. */
  Engine.prototype.termEntry = function (term) {
    var self = this;
    return this.termShard(term).then(function (data) {
      var entry = Object.prototype.hasOwnProperty.call(data, term) ? data[term] : null;
      if (!entry) { return null; }
      // A long first tier lives in its own file (a number here), a short one in the shard.
      var head = typeof entry[1] === "number" ? self.moreTier(entry[1]) : Promise.resolve(decodePostings(entry[1]));
      return head.then(function (postings) { return { df: entry[0], postings: postings, more: entry[2] }; });
    });
  };

  /** The term shard file that holds a term (cached like every other file). */
  Engine.prototype.termShard = function (term) {
    return this.file("terms/" + termHash(term) % this.manifest.termShards + ".json");
  };

  Engine.prototype.moreTier = function (id) {
    return this.file("more/" + id + ".json", decodePostings);
  };

  Engine.prototype.entries = function (terms) {
    var self = this;
    return Promise.all(terms.map(function (t) { return self.termEntry(t); })).then(function (list) {
      var out = new Map();
      terms.forEach(function (t, i) { out.set(t, list[i]); });
      return out;
    });
  };

  /** Deepest result a page of results may start at (20 per page: 50 pages). */
  var MAX_OFFSET = 1000;

  /**
   * Search (engine.search): resolves to {parsed, terms, hits: [{doc, score, group}], total, totalExact}.
   * Options: limit (default 10, at most 100), status (e.g. "有效": only texts in force), level.
   * `hits` are in pure rank order (no grouping by regulation); `total` counts every match.
   */
  Engine.prototype.search = function (query, options) {
    options = options || {};
    var self = this;
    var limit = Math.max(1, Math.min(parseInt(options.limit, 10) || 10, 100));
    var offset = Math.max(0, Math.min(parseInt(options.offset, 10) || 0, MAX_OFFSET));
    var parsed, entries;
    return Promise.all([this.ready(), this.prepare(query)]).then(function () {
      if (options.all) { limit = Math.max(self.manifest.documents, 1); offset = 0; }
      parsed = self.parseQuery(query);
      if (options.status) { (parsed.filters.status = parsed.filters.status || []).push(options.status); }
      if (options.level) { (parsed.filters.level = parsed.filters.level || []).push(options.level); }
      var empty = !(parsed.terms.length || parsed.phrases.length || parsed.laws.length || parsed.article ||
                    parsed.docNumber || Object.keys(parsed.filters).length);
      if (empty) { return null; }
      var wanted = parsed.terms.map(function (t) { return t.text; });
      for (var word of parsed.excluded) { wanted = wanted.concat(self.excludedTerms(word)); }
      return self.entries(wanted).then(function (found) {
        entries = found;
        return self.backOff(parsed, entries);
      }).then(function () {
        return self.rank(parsed, entries, offset + limit, !!options.all);
      });
    }).then(function (ranked) {
      ranked = ranked || { hits: [], total: 0, totalExact: true };
      if (offset) { ranked.hits = ranked.hits.slice(offset); }
      return { parsed: parsed, terms: parsed.terms, hits: ranked.hits, total: ranked.total, totalExact: ranked.totalExact };
    });
  };

  Engine.prototype.excludedTerms = function (word) {
    var sources = this.analyzer.queryTokens(word).filter(function (t) { return t.weight === 1.0; })
      .map(function (t) { return t.source; });
    return Array.from(new Set(sources));
  };

  /**
   * engine._back_off: a word none of whose terms is indexed is looked up by its character
   * bigrams, then by the characters no indexed bigram covers; a long word found only in pieces
   * also tries its bigrams (engine.back_off_terms, same order, same weights).
   */
  Engine.prototype.backOff = function (parsed, entries) {
    var self = this, cfg = this.manifest.ranking, sources = [], present = new Set(), known = new Set();
    parsed.terms.forEach(function (t) {
      known.add(t.text);
      if (sources.indexOf(t.source) < 0) { sources.push(t.source); }
      if (entries.get(t.text)) { present.add(t.source); }
    });
    var missing = sources.filter(function (s) { return !present.has(s); });
    var partly = sources.filter(function (s) {
      return present.has(s) && Array.from(s).length >= cfg.partlyMin && !entries.get(s);
    });
    if (!missing.length && !partly.length) { return Promise.resolve(); }
    var han = function (text) { return /^[\u4e00-\u9fff]+$/.test(text); };
    var qw = this.analyzer.questionWords;  // empty when the question-word mechanism is off
    var skip = function (text) { return self.analyzer.stopwords.has(text) || qw.has(text); };
    var wanted = new Set();
    missing.concat(partly).forEach(function (s) {
      var chars = Array.from(s);
      for (var i = 0; cfg.bigrams && i < chars.length - 1; i++) { if (han(chars[i] + chars[i + 1])) { wanted.add(chars[i] + chars[i + 1]); } }
      chars.forEach(function (ch) { if (han(ch)) { wanted.add(ch); } });
    });
    var list = Array.from(wanted);
    return this.entries(list).then(function (found) {
      var out = [];
      function indexed(text) { return !!found.get(text); }
      missing.concat(partly).forEach(function (source) {
        var chars = Array.from(source), covered = new Set(), i;
        if (cfg.bigrams) {
          for (i = 0; i < chars.length - 1; i++) {
            var pair = chars[i] + chars[i + 1];
            if (han(pair) && !skip(pair) && indexed(pair) && !out.some(function (q) { return q.text === pair; })) {
              out.push({ text: pair, weight: cfg.bigramWeight, source: source, whole: source });
              covered.add(i); covered.add(i + 1);
            }
          }
        }
        var isPartly = partly.indexOf(source) >= 0;
        for (i = 0; i < chars.length; i++) {
          var ch = chars[i];
          if (isPartly || covered.has(i) || chars.slice(0, i).indexOf(ch) >= 0) { continue; }
          if (han(ch) && !skip(ch) && indexed(ch)) {
            out.push({ text: ch, weight: cfg.backOffWeight, source: source, whole: ch });
          }
        }
      });
      out.forEach(function (term) {
        if (known.has(term.text)) { return; }
        parsed.terms.push(term);
        entries.set(term.text, found.get(term.text));
      });
    });
  };

  /** Whether a group (regulation or page) passes the query's filters (status, level, kind). */
  Engine.prototype.passes = function (group, filters) {
    for (var name of Object.keys(filters)) {
      var values = filters[name];
      var value = name === "status" ? group.status : name === "level" ? group.level :
        name === "kind" ? group.kind : name === "category" ? group.category : undefined;
      if (value === undefined) { continue; }
      if (name === "category") {
        if (!values.some(function (v) { return (value || "").split(" ").indexOf(v) >= 0; })) { return false; }
      } else if (values.indexOf(value) < 0) { return false; }
    }
    return true;
  };

  /**
   * engine._scored: ranking.bm25f over the loaded postings (later tiers fetched while they could
   * still reach the top), the references the query makes, ranking.preliminary, final_score,
   * order_key and the second pass (rerank). Resolves to {hits, total, totalExact}.
   */
  Engine.prototype.rank = function (parsed, entries, limit, all) {
    var self = this, cfg = this.manifest.ranking, scale = this.manifest.impactScale;
    var n = Math.max(this.manifest.documents, 1);
    var wanted = limit;  // the top `wanted` must be exact: the second pass reorders that many
    if (ranking.reranks(parsed, cfg.rerank)) { wanted = Math.max(limit, cfg.rerank.depth); }
    if (cfg.diversity) { wanted = Math.max(wanted, cfg.diversity.reach); }  // it may bring one up from there
    var filtered = Object.keys(parsed.filters).some(function (k) { return ["status", "level", "category", "kind"].indexOf(k) >= 0; });
    var allowedCache = new Map();
    function allowed(doc) {
      if (!filtered) { return true; }
      var g = self.groupOf(doc);
      if (!allowedCache.has(g.index)) { allowedCache.set(g.index, self.passes(g, parsed.filters)); }
      return allowedCache.get(g.index);
    }

    var groups = ranking.groupsOf(parsed.terms);
    var bm = new ranking.Bm25f(n, scale, allowed);
    var pending = [];
    groups.forEach(function (group) {
      group.terms.forEach(function (t) {
        var entry = entries.get(t[0]);
        if (!entry || !entry.df || bm.docsOf.has(t[0])) { return; }
        bm.add(t[0], t[1], entry.postings);
        if (entry.more.length) { pending.push({ term: t[0], weight: t[1], more: entry.more.slice() }); }
      });
    });

    function idfOf(term) {
      var entry = entries.get(term);
      return entry && entry.df ? Math.log(1 + (n - entry.df + 0.5) / (entry.df + 0.5)) : null;
    }

    // Later tiers of long postings lists: fetched only while they could still reach the top.
    var round = 0;
    function fetchMore() {
      if (!pending.length || (!all && round >= cfg.maxMoreRounds)) { return Promise.resolve(); }
      if (all) {  // every match is wanted: every tier at once, not one round trip per tier
        var jobs = [];
        pending.forEach(function (p) { p.more.forEach(function (tier) { jobs.push([p, tier[0]]); }); });
        return Promise.all(jobs.map(function (job) { return self.moreTier(job[1]); })).then(function (lists) {
          lists.forEach(function (postings, i) { bm.add(jobs[i][0].term, jobs[i][0].weight, postings); });
          pending = [];
        });
      }
      var scored = bm.scored, coord = bm.coordination(groups, idfOf), values = new Float64Array(scored.length), i;
      for (i = 0; i < scored.length; i++) { values[i] = bm.scores[scored[i]] * Math.pow(coord(scored[i]), cfg.coordinationPower); }
      var kth = ranking.kthBest(values, wanted);
      var bound = pending.reduce(function (a, p) { return a + p.weight * p.more[0][1] / scale; }, 0);
      if (scored.length >= wanted && kth >= bound &&
          ranking.settled(bm, coord, values, kth, pending, groups, idfOf, cfg.coordinationPower, scale)) {
        return Promise.resolve();
      }
      // The tiers first: the browser's few connections serve requests in the order they were made.
      var tiers = Promise.all(pending.map(function (p) { return self.moreTier(p.more[0][0]); }));
      if (round === 0) {  // the provisional best: their text loads while the later tiers do
        var top = [];
        for (i = 0; i < scored.length; i++) { if (values[i] >= kth) { top.push([values[i], scored[i]]); } }
        top.sort(function (a, b) { return b[0] - a[0] || a[1] - b[1]; });
        self.warmDocuments(top.slice(0, wanted).map(function (x) { return x[1]; }));
      }
      round++;
      return tiers.then(function (tiers) {
        tiers.forEach(function (postings, i) { bm.add(pending[i].term, pending[i].weight, postings); pending[i].more.shift(); });
        pending = pending.filter(function (p) { return p.more.length; });
        return fetchMore();
      });
    }

    return fetchMore().then(function () {
      var hasTerms = parsed.terms.length > 0;
      var refs = self.references(parsed, limit, filtered ? allowed : null);
      var masked = new Set();
      parsed.excluded.forEach(function (word) {
        self.excludedTerms(word).forEach(function (t) {
          var e = entries.get(t);
          if (e) { e.postings.docs.forEach(function (d) { masked.add(d); }); }
        });
      });
      var pool = (parsed.phrases.length || parsed.excluded.length) ? Math.max(400, limit * 10) : Math.max(cfg.pool, limit * 3);
      var prelim = ranking.preliminary(bm, bm.coordination(groups, idfOf), refs, masked, cfg, pool);
      var hits = prelim.map(function (p) {
        var group = self.groupOf(p[1]);
        return { doc: p[1], group: group, score: ranking.finalScore(group, p[0], parsed, cfg, hasTerms) };
      });
      var articleKey = function (doc) { return self.articleKey(doc); };
      hits.sort(function (a, b) { return ranking.compareHits(a, b, articleKey); });
      var ranked = (!parsed.phrases.length && !parsed.excluded.length) ?
        // Documents only in postings tiers left unloaded are not counted: then a lower bound.
        Promise.resolve({ hits: hits, total: prelim.matches, totalExact: !pending.length }) :
        self.acceptPhrases(hits, parsed, limit).then(function (accepted) {
          accepted.totalExact = accepted.totalExact && !pending.length;
          return accepted;
        });
      return ranked.then(function (result) {
        var second = self.secondPass(result.hits, parsed);
        // The second pass asked for the best few rows first; the rest of the page's load meanwhile.
        if (ranking.reranks(parsed, cfg.rerank)) { self.warmDocuments(result.hits.slice(0, limit).map(function (h) { return h.doc; })); }
        return second.then(function (reordered) {
          reordered.sort(function (a, b) { return ranking.compareHits(a, b, articleKey); });
          result.hits = ranking.diversify(reordered, parsed, cfg.diversity, cfg.exactBonus).slice(0, limit);
          return result;
        });
      });
    });
  };

  /**
   * The second pass (rerank.rerank): the best few hits reordered by their article text, whose
   * rows are loaded first (the box shows them next, so they come from the cache then).
   */
  Engine.prototype.secondPass = function (hits, parsed) {
    var config = this.manifest.ranking.rerank;
    if (!ranking.reranks(parsed, config)) { return Promise.resolve(hits.slice()); }
    var head = hits.slice(0, config.depth);
    return this.documents(head.map(function (h) { return h.doc; })).then(function (docs) {
      return ranking.rerank(head, docs, parsed, config).concat(hits.slice(config.depth));
    });
  };

  /**
   * The documents a query refers to (engine._scored): lawDocs (a named regulation, or the
   * document of a 文号 given with words), exact (the article of a named regulation), numbered
   * (that article number when no regulation was recognised), extra (listed without a word to
   * score by: a bare 第八条, a regulation named alone, a bare 文号, or a filter alone). Sets of
   * documents; `allowed` (null: no filter) drops the documents a filter excludes.
   */
  Engine.prototype.references = function (parsed, limit, allowed) {
    var self = this, n = Math.max(this.manifest.documents, 1), hasTerms = parsed.terms.length > 0;
    var lawDocs = new Set(), exact = new Set(), extra = new Set(), numbered = new Set(), d;
    if (parsed.laws.length) {
      self.groups.forEach(function (g) {
        if (parsed.laws.indexOf(g.current) >= 0) { for (var d = g.first; d < g.first + g.count; d++) { lawDocs.add(d); } }
      });
    }
    var docnoDocs = new Set();
    if (parsed.docNumber) {
      self.groups.forEach(function (g) {
        if (g.docno && g.docno.indexOf(parsed.docNumber) >= 0) {
          for (var d = g.first; d < g.first + g.count; d++) { docnoDocs.add(d); }
        }
      });
    }
    if (parsed.article) {
      var art = [];
      self.groups.forEach(function (g) {
        articlesOf(g).forEach(function (key, i) {
          if (key[0] === parsed.article[0] && key[1] === parsed.article[1]) { art.push(g.first + i); }
        });
      });
      if (parsed.laws.length || docnoDocs.size) {  // 《建筑法》第八条, 国务院令第590号第十七条
        art.forEach(function (d) { if (lawDocs.has(d) || docnoDocs.has(d)) { exact.add(d); } });
      }
      else if (!hasTerms) { art.forEach(function (d) { extra.add(d); }); }  // a bare 第八条: every 第八条
      else { art.forEach(function (d) { numbered.add(d); }); }  // an unrecognised name + 第N条
    }
    if (!hasTerms) {  // 《建筑法》第八条 first, then the rest of 建筑法 in order
      lawDocs.forEach(function (d) { extra.add(d); });
      if (!extra.size && allowed) {
        var first = [];
        for (d = 0; d < n && first.length < Math.max(200, limit * 3); d++) { if (allowed(d)) { first.push(d); } }
        first.forEach(function (x) { extra.add(x); });
      }
    }
    // a 文号 with words ranks its documents as a named regulation's; alone, lists them
    docnoDocs.forEach(function (d) { (hasTerms ? lawDocs : extra).add(d); });
    if (allowed) {
      exact.forEach(function (d) { if (!allowed(d)) { exact.delete(d); } });
      extra.forEach(function (d) { if (!allowed(d)) { extra.delete(d); } });
      numbered.forEach(function (d) { if (!allowed(d)) { numbered.delete(d); } });
    }
    var regulationOf = function (doc) { return self.groupOf(doc).index; };
    return { lawDocs: lawDocs, exact: exact, extra: extra, numbered: numbered, regulationOf: regulationOf };
  };


  /** Phrases and exclusions are checked on the stored text of the best candidates (ranking.accept). */
  Engine.prototype.acceptPhrases = function (hits, parsed, limit) {
    var head = hits.slice(0, Math.max(limit * 3, 30));
    return this.documents(head.map(function (h) { return h.doc; })).then(function (docs) {
      var kept = [];
      docs.forEach(function (d, i) { if (ranking.accept(d, parsed)) { kept.push(head[i]); } });
      // Only the best candidates are checked against the phrases: beyond them the count is a bound.
      var checkedAll = head.length === hits.length;
      return { hits: kept, total: checkedAll ? kept.length : kept.length + hits.length - head.length,
               totalExact: checkedAll };
    });
  };

  /**
   * Start loading what a query being typed will need: its dictionary buckets, then the term
   * shards of its terms, so that the search after the debounce finds them cached. Failures
   * surface later: a failed file is not cached, the search loads it again and reports it.
   */
  Engine.prototype.prefetch = function (query) {
    var self = this;
    return Promise.all([this.ready(), this.prepare(query)]).then(function () {
      return Promise.all(self.parseQuery(query).terms.map(function (t) { return self.termShard(t.text); }));
    }).catch(function () { return null; });
  };

  /** Start loading the document shards of likely results (a guess: failures surface later). */
  Engine.prototype.warmDocuments = function (docIds) {
    var self = this, size = this.manifest.docShardSize;
    new Set(docIds.map(function (d) { return Math.floor(d / size); })).forEach(function (shard) {
      self.file("docs/" + shard + ".json", null, { priority: "low" }).catch(function () { return null; });
    });
  };

  /** Stored fields of documents: [{doc, label, url, chapter, text, group}] in the order given. */
  Engine.prototype.documents = function (docIds) {
    var self = this, size = this.manifest.docShardSize;
    return Promise.all(docIds.map(function (d) {
      return self.file("docs/" + Math.floor(d / size) + ".json").then(function (rows) {
        var row = rows[d % size];
        return { doc: d, label: row[0], url: row[1], chapter: row[2], text: row[3], group: self.groupOf(d) };
      });
    }));
  };

  // ---------------------------------------------------------------- snippets

  /**
   * The best window of `text` around query terms, as [[text, isMatch], ...] pieces (never HTML:
   * the caller builds DOM text nodes, so nothing in a document can become markup).
   */
  function snippet(text, terms, width) {
    width = width || 120;
    var lower = normalise(text);
    var words = terms.map(function (t) { return t.text; }).filter(function (w) { return w.length > 0; });
    words.sort(function (a, b) { return b.length - a.length; });
    var marks = [];
    for (var w of words) {
      var from = 0, at;
      while ((at = lower.indexOf(w, from)) >= 0) {
        var end = at + w.length;
        if (!marks.some(function (m) { return at < m[1] && end > m[0]; })) { marks.push([at, end]); }
        from = at + 1;
      }
    }
    marks.sort(function (a, b) { return a[0] - b[0]; });
    var start = 0;
    if (text.length > width && marks.length) {
      var bestCount = -1;
      for (var m of marks) {
        var s = Math.max(0, m[0] - 20), count = 0;
        for (var m2 of marks) { if (m2[0] >= s && m2[1] <= s + width) { count++; } }
        if (count > bestCount) { bestCount = count; start = s; }
      }
    }
    var stop = Math.min(text.length, start + width), pieces = [], pos = start;
    if (start > 0) { pieces.push(["…", false]); }
    for (var mk of marks) {
      if (mk[0] < pos || mk[1] > stop) { continue; }
      if (mk[0] > pos) { pieces.push([text.slice(pos, mk[0]), false]); }
      pieces.push([text.slice(mk[0], mk[1]), true]);
      pos = mk[1];
    }
    if (pos < stop) { pieces.push([text.slice(pos, stop), false]); }
    if (stop < text.length) { pieces.push(["…", false]); }
    return pieces;
  }

  /** Each group's date (施行日期, else 公布日期; "" for pages), for sorting by date; loaded on demand. */
  Engine.prototype.groupDates = function () {
    return this.file("dates.json");
  };

  return {
    normalise: normalise, isWord: analyzer.isWord, termHash: termHash, bucketOf: analyzer.bucketOf,
    Segmenter: analyzer.Segmenter, Analyzer: Analyzer, Engine: Engine, cnToInt: analyzer.cnToInt, snippet: snippet,
    clean: clean,
  };
});
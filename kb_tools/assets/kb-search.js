/* 法规知识库: the browser search engine over the static, sharded index (search/kb/).
 *
 * Two halves, one file, no dependencies, no eval:
 *  - the analyzer twin: kb_tools/search/analyzer.py (normalise, rjieba cut_for_search with
 *    HMM off, stopwords, question words, synonyms) re-implemented line for line; the jieba
 *    dictionary arrives in buckets keyed by a word's first character, so a query loads only the
 *    buckets of its own characters;
 *  - the ranking: impact-scored postings (BM25F computed at build time) per term shard, summed,
 *    with coordination, status demotion and exact article references first.
 * Loads as a browser global (window.KbSearch) and as a CommonJS module (Node: tests, kb eval).
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
 *   group fields: title, url, status (时效性), level (效力级别), kind ("article"|"section"),
 *     law, current, docno, category; the vocabulary of status and level comes from Python
 *     (kb_tools/model.py) through manifest.json ("vocabulary").
 *   KbSearch.snippet(text, terms[, width]) -> [[piece, isMatch], …] (never HTML).
 *   KbSearch.normalise, clean, cnToInt, termHash, bucketOf, Segmenter, Analyzer: the analyzer twin.
 */
(function (root, factory) {
  "use strict";
  if (typeof module === "object" && module.exports) { module.exports = factory(); }
  else { root.KbSearch = factory(); }
})(typeof self !== "undefined" ? self : this, function () {
  "use strict";

  // ---------------------------------------------------------------- analyzer twin

  /** Width and case, one code point for one code point (analyzer.normalise). */
  function normalise(text) {
    var wide = "", count = 0;
    for (var ch of text) {
      var code = ch.codePointAt(0);
      if (code >= 0xFF01 && code <= 0xFF5E) { ch = String.fromCodePoint(code - 0xFEE0); }
      else if (code === 0x3000) { ch = " "; }
      wide += ch;
      count++;
    }
    var lowered = wide.toLowerCase();
    if (Array.from(lowered).length === count) { return lowered; }
    var out = "";
    for (var c of wide) {
      var low = c.toLowerCase();
      out += Array.from(low).length === 1 ? low : c;
    }
    return out;
  }

  var WORD_RE = /[\p{L}\p{N}]/u;
  /** A token with a letter, digit or ideograph (analyzer.is_word). */
  function isWord(token) { return WORD_RE.test(token); }

  // jieba-rs RE_HAN_DEFAULT, as a per-character test.
  var HAN_RE = /[\u3400-\u4DBF\u4E00-\u9FFF\uF900-\uFAFF\u{20000}-\u{2A6DF}\u{2A700}-\u{2B73F}\u{2B740}-\u{2B81F}\u{2B820}-\u{2CEAF}\u{2CEB0}-\u{2EBEF}\u{2F800}-\u{2FA1F}a-zA-Z0-9+#&._%\-]/u;
  var ALNUM_RE = /^[a-zA-Z0-9]$/;

  /** The dictionary bucket of a word: by its first code point. */
  function bucketOf(word, buckets) { return word.codePointAt(0) % buckets; }

  /** 32-bit FNV-1a over code points: which term shard holds a term (same as static_index.term_hash). */
  function termHash(term) {
    var h = 0x811c9dc5;
    for (var ch of term) { h = Math.imul(h ^ ch.codePointAt(0), 16777619) >>> 0; }
    return h;
  }

  /**
   * rjieba cut (hmm=False) and cut_for_search over a dictionary `freq` (Map word -> frequency)
   * that must hold every word starting with any character of the text.
   */
  function Segmenter(freq, total, maxLen) {
    this.freq = freq;
    this.logTotal = Math.log(total);
    this.maxLen = maxLen;
  }

  Segmenter.prototype.cutBlock = function (chars, start, words) {
    var n = chars.length, freq = this.freq, logTotal = this.logTotal;
    var routeScore = new Float64Array(n + 1), routeEnd = new Int32Array(n + 1);
    for (var i = n - 1; i >= 0; i--) {
      var best = null, bestEnd = -1, piece = "";
      var limit = Math.min(n, i + this.maxLen);
      for (var j = i + 1; j <= limit; j++) {
        piece += chars[j - 1];
        var f = freq.get(piece);
        if (f === undefined) { continue; }
        var score = Math.log(f) - logTotal + routeScore[j];
        if (best === null || score > best || (score === best && j > bestEnd)) { best = score; bestEnd = j; }
      }
      if (best === null) { best = Math.log(1) - logTotal + routeScore[i + 1]; bestEnd = i + 1; }
      routeScore[i] = best; routeEnd[i] = bestEnd;
    }
    var x = 0, left = -1;
    while (x < n) {
      var y = routeEnd[x];
      if (y - x === 1 && ALNUM_RE.test(chars[x])) {
        if (left < 0) { left = x; }
      } else {
        if (left >= 0) { words.push([chars.slice(left, x).join(""), start + left]); left = -1; }
        words.push([chars.slice(x, y).join(""), start + x]);
      }
      x = y;
    }
    if (left >= 0) { words.push([chars.slice(left).join(""), start + left]); }
  };

  /** rjieba.cut(text, hmm=False) as [word, startchar] pairs. */
  Segmenter.prototype.cut = function (text) {
    var chars = Array.from(text), words = [], i = 0;
    while (i < chars.length) {
      if (HAN_RE.test(chars[i])) {
        var j = i;
        while (j < chars.length && HAN_RE.test(chars[j])) { j++; }
        this.cutBlock(chars.slice(i, j), i, words);
        i = j;
      } else if (chars[i] === "\r" && chars[i + 1] === "\n") {
        words.push(["\r\n", i]); i += 2;
      } else {
        words.push([chars[i], i]); i += 1;
      }
    }
    return words;
  };

  /** rjieba.tokenize(text, "search", False): [word, startchar, endchar] in jieba's order. */
  Segmenter.prototype.tokenize = function (text) {
    var out = [], freq = this.freq;
    for (var pair of this.cut(text)) {
      var word = pair[0], start = pair[1], chars = Array.from(word), n = chars.length, k, gram;
      if (n > 2) {
        for (k = 0; k < n - 1; k++) {
          gram = chars[k] + chars[k + 1];
          if (freq.has(gram)) { out.push([gram, start + k, start + k + 2]); }
        }
      }
      if (n > 3) {
        for (k = 0; k < n - 2; k++) {
          gram = chars[k] + chars[k + 1] + chars[k + 2];
          if (freq.has(gram)) { out.push([gram, start + k, start + k + 3]); }
        }
      }
      out.push([word, start, start + n]);
    }
    return out;
  };

  /**
   * The analyzer: needs the manifest's analyzer block and a loader for dictionary buckets.
   * `load(path)` returns a Promise of parsed JSON.
   */
  function Analyzer(config, load) {
    this.config = config;
    this.load = load;
    this.freq = new Map();
    this.raw = new Map();  // first character -> its words, not parsed yet
    this.loaded = new Map();  // bucket -> Promise
    this.stopwords = new Set(config.stopwords);
    this.questionWords = new Set(config.questionWords);
    this.synonyms = config.synonyms;  // everyday word -> [term, ...] (already analyzed at build)
    this.segmenter = new Segmenter(this.freq, config.total, config.maxLen);
  }

  /** Load the dictionary buckets every character of `text` needs. */
  Analyzer.prototype.prepare = function (text) {
    var self = this, waits = [];
    for (var ch of new Set(Array.from(normalise(text)))) {
      if (!HAN_RE.test(ch)) { continue; }
      var bucket = bucketOf(ch, this.config.buckets);
      if (!this.loaded.has(bucket)) {
        this.loaded.set(bucket, this.load("dict/" + bucket + ".json").then(function (data) {
          self.addBucket(data);
        }).catch(function (error) {
          self.loaded.delete(bucket);
          throw error;
        }));
      }
      waits.push(this.loaded.get(bucket));
    }
    return Promise.all(waits);
  };

  /** Keep a bucket's words as text; a first character's words are parsed when a text needs them. */
  Analyzer.prototype.addBucket = function (data) {
    for (var first of Object.keys(data)) { this.raw.set(first, data[first]); }
  };

  Analyzer.prototype.parseWords = function (text) {
    for (var ch of text) {
      var entries = this.raw.get(ch);
      if (entries === undefined) { continue; }
      this.raw.delete(ch);
      var start = 0;
      while (start < entries.length) {
        var bar = entries.indexOf("|", start);
        if (bar < 0) { bar = entries.length; }
        var space = entries.lastIndexOf(" ", bar);
        this.freq.set(ch + entries.slice(start, space), +entries.slice(space + 1, bar));
        start = bar + 1;
      }
    }
  };

  var NUMERAL_START = "零〇一二两三四五六七八九十百千万0123456789";
  var NUMBER_UNIT_RE = /^([0-9]+|[零〇一二两三四五六七八九十百千万]+)(个月|个工作日|工作日|小时|万元|日|天|年|月|元|倍)$/;

  /** analyzer._number_unit: the unit and Arabic value of a whole number-with-unit word. */
  function numberUnit(word, start, end, raw, i) {
    var m = NUMBER_UNIT_RE.exec(word);
    if (!m) { return []; }
    for (var k = i + 1; k < Math.min(raw.length, i + 8); k++) {
      var o = raw[k];
      if (o[1] <= start && end <= o[2] && o[2] - o[1] > end - start) { return []; }
    }
    var unitStart = start + Array.from(m[1]).length;
    var out = [[m[2], unitStart, end]];
    if (!/^[0-9]+$/.test(m[1])) {
      var value = cnToInt(m[1]);
      if (!isNaN(value)) { out.push([String(value), start, unitStart]); }
    }
    return out;
  }

  /** Index-side tokens [text, startchar, endchar] (analyzer.tokenize); call prepare() first. */
  Analyzer.prototype.tokenize = function (text) {
    text = normalise(text);
    this.parseWords(text);
    var stop = this.stopwords, raw = this.segmenter.tokenize(text), out = [];
    for (var i = 0; i < raw.length; i++) {
      var word = raw[i][0];
      if (stop.has(word) || !isWord(word)) { continue; }
      out.push(raw[i]);
      if (NUMERAL_START.indexOf(String.fromCodePoint(word.codePointAt(0))) >= 0 && Array.from(word).length > 1) {
        for (var extra of numberUnit(word, raw[i][1], raw[i][2], raw, i)) { out.push(extra); }
      }
    }
    return out;
  };

  /** Query terms {text, weight, source, whole} (analyzer.query_tokens). */
  Analyzer.prototype.queryTokens = function (text) {
    var tokens = this.tokenize(text), qw = this.questionWords;
    var kept = tokens.filter(function (t) { return !qw.has(t[0]); });
    if (kept.length === 0) { kept = tokens; }
    var terms = new Map();
    for (var token of kept) {
      var whole = covering(token, tokens);
      if (!terms.has(token[0])) { terms.set(token[0], { text: token[0], weight: 1.0, source: whole[0], whole: whole[0] }); }
      // Only a whole word is an everyday word: 施工方 inside 专项施工方案 is not 施工单位.
      var formal = this.synonyms[token[0]];
      if (!formal || whole !== token) { continue; }
      for (var list of formal) {
        for (var sub of list) {
          if (!terms.has(sub[0])) {
            terms.set(sub[0], { text: sub[0], weight: this.config.synonymWeight, source: token[0], whole: sub[1] });
          }
        }
      }
    }
    return Array.from(terms.values());
  };

  /** The longest token whose span contains `token` (search mode emits pieces of long words). */
  function covering(token, tokens) {
    var best = token;
    for (var t of tokens) {
      if (t[1] <= token[1] && token[2] <= t[2] && t[2] - t[1] > best[2] - best[1]) { best = t; }
    }
    return best;
  }

  // ---------------------------------------------------------------- query parsing (query.py)

  var DIGITS = { "零": 0, "〇": 0, "○": 0, "一": 1, "壹": 1, "二": 2, "贰": 2, "两": 2, "三": 3, "叁": 3,
    "四": 4, "肆": 4, "五": 5, "伍": 5, "六": 6, "陆": 6, "七": 7, "柒": 7, "八": 8, "捌": 8, "九": 9, "玖": 9 };
  var UNITS = { "十": 10, "拾": 10, "百": 100, "佰": 100, "千": 1000, "仟": 1000, "万": 10000 };

  /** numerals.cn_to_int: "一百零三" -> 103, "64" -> 64, "二〇一九" -> 2019; NaN when not a numeral. */
  function cnToInt(text) {
    text = text.trim();
    if (!text) { return NaN; }
    if (/^[0-9]+$/.test(text)) { return parseInt(text, 10); }
    var chars = Array.from(text);
    if (chars.every(function (c) { return c in DIGITS; })) {
      return chars.length === 1 ? DIGITS[text] : parseInt(chars.map(function (c) { return DIGITS[c]; }).join(""), 10);
    }
    var total = 0, section = 0, digit = 0, pending = false;
    for (var ch of chars) {
      if (ch in DIGITS) { digit = DIGITS[ch]; pending = true; }
      else if (ch in UNITS) {
        var unit = UNITS[ch];
        if (unit === 10000) { section += digit; total += (section || 1) * unit; section = 0; }
        else { section += (pending ? digit : 1) * unit; }
        digit = 0; pending = false;
      } else { return NaN; }
    }
    return total + section + digit;
  }

  var FILTER_NAMES = {
    "level": "level", "效力级别": "level", "级别": "level",
    "status": "status", "时效性": "status", "时效": "status", "状态": "status",
    "law": "law", "法规": "law", "category": "category", "分类": "category", "kind": "kind", "类型": "kind",
  };
  var FILTER_RE = new RegExp("(?<!\\S)(" + Object.keys(FILTER_NAMES).sort(function (a, b) {
    return b.length - a.length;
  }).join("|") + ")\\s*[:：]\\s*(\\S+)", "g");
  var PHRASE_RE = /"([^"]*)"|“([^”]*)”|「([^」]*)」/g;
  var EXCLUDE_RE = /(?<!\S)-(\S+)/g;
  var CN_NUM = "零一二三四五六七八九十百千两〇";
  var ARTICLE_RE = new RegExp("第\\s*([" + CN_NUM + "]+|\\d+)\\s*条(?:\\s*之\\s*([" + CN_NUM + "]+|\\d+))?" +
    "|(?<![\\d.])(\\d{1,4})\\s*条(?:\\s*之\\s*([" + CN_NUM + "]+|\\d+))?");
  var DOCNO_RE = /[^\s〔\[(]*\s*[〔\[(]\s*\d{4}\s*[〕\])]\s*\d+\s*号|\S*?令\s*第?\s*\d+\s*号|(?<![\d.])\d+\s*号令/;
  var CONTROL_RE = /[\x00-\x08\x0b-\x1f\x7f-\x9f\u200b-\u200f\u2028-\u202f\ufeff]/g;

  function splitJoin(text) { return text.split(/\s+/).filter(Boolean).join(" "); }

  /** query.clean: no control characters, capped, whitespace collapsed. */
  function clean(text, maxChars) {
    text = Array.from(String(text)).slice(0, maxChars * 4).join("").replace(CONTROL_RE, "");
    return Array.from(splitJoin(text)).slice(0, maxChars).join("");
  }

  /** query.compact_docno. */
  function compactDocno(text) {
    text = normalise(text);
    var pairs = [["〔", "("], ["〕", ")"], ["[", "("], ["]", ")"], ["（", "("], ["）", ")"]];
    for (var p of pairs) { text = text.split(p[0]).join(p[1]); }
    return text.split(/\s+/).join("");
  }

  /** query.query_docno: 583号令 -> 令第583号, 国务院令583号 -> 国务院令第583号. */
  function queryDocno(text) {
    text = compactDocno(text);
    var m = /^(\d+)号令$/.exec(text);
    if (m) { return "令第" + m[1] + "号"; }
    return text.replace(/令(\d+)号$/, "令第$1号");
  }

  function stripChars(text, chars) {
    var a = Array.from(text), i = 0, j = a.length;
    while (i < j && chars.indexOf(a[i]) >= 0) { i++; }
    while (j > i && chars.indexOf(a[j - 1]) >= 0) { j--; }
    return a.slice(i, j).join("");
  }

  function isAlnumWord(word) { return /[\p{L}\p{N}]/u.test(word); }

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

  /** The dictionary buckets a query needs (the analyzer's prepare, once the manifest is in). */
  /** The shared vocabulary shipped from Python: {statuses: [{value, css}], levels: [...]}. */
  Engine.prototype.vocabulary = function () {
    var self = this;
    return this.head().then(function () { return self.manifest.vocabulary; });
  };

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

  /** query.parse_query, over the index's name table. */
  Engine.prototype.parseQuery = function (raw) {
    var self = this, names = this.names;
    var parsed = { text: "", terms: [], phrases: [], excluded: [], filters: {}, laws: [], article: null, docNumber: "" };
    var text = normalise(clean(raw, this.manifest.maxQueryChars));
    text = text.replace(FILTER_RE, function (m, key, value) {
      var name = FILTER_NAMES[key];
      value = stripChars(value.trim(), "\"'“”");
      if (name === "law") {
        var slug = findLaw(value, names);
        if (slug) { parsed.laws.push(slug); return " "; }
        return " " + value + " ";
      }
      (parsed.filters[name] = parsed.filters[name] || []).push(value);
      return " ";
    });
    var m;
    PHRASE_RE.lastIndex = 0;
    while ((m = PHRASE_RE.exec(text)) !== null) {
      var phrase = (m[1] !== undefined ? m[1] : m[2] !== undefined ? m[2] : m[3]).trim();
      if (phrase) { parsed.phrases.push(phrase); }
    }
    text = text.replace(PHRASE_RE, " ").replace(/["“”「」]/g, " ");
    EXCLUDE_RE.lastIndex = 0;
    while ((m = EXCLUDE_RE.exec(text)) !== null) {
      var word = stripChars(m[1], "-");
      if (word && isAlnumWord(word)) { parsed.excluded.push(word); }
    }
    text = text.replace(EXCLUDE_RE, " ");
    var docno = DOCNO_RE.exec(text);
    if (docno) {  // query.parse_query: its documents come first, the other words rank them
      parsed.docNumber = queryDocno(docno[0]);
      text = text.slice(0, docno.index) + " " + text.slice(docno.index + docno[0].length);
    }
    text = takeArticle(text, parsed);
    text = takeLaws(text, names, parsed, this.sortedNames);
    parsed.text = splitJoin(text);
    var terms = new Map();
    for (var part of [parsed.text].concat(parsed.phrases)) {
      for (var term of self.analyzer.queryTokens(part)) {
        if (!terms.has(term.text)) { terms.set(term.text, term); }
      }
    }
    parsed.terms = Array.from(terms.values());
    return parsed;
  };

  function takeArticle(text, parsed) {
    var m = ARTICLE_RE.exec(text);
    if (!m) { return text; }
    var number = cnToInt(m[1] || m[3]);
    var suf = m[2] || m[4];
    var suffix = suf ? cnToInt(suf) : 0;
    if (isNaN(number) || isNaN(suffix) || number <= 0) { return text; }
    parsed.article = [number, suffix];
    return text.slice(0, m.index) + " " + text.slice(m.index + m[0].length);
  }

  /** Names longest first (ties in file order), as query.take_laws tries them; computed once. */
  function longestFirst(names) {
    return Object.keys(names).map(function (k, i) { return [k, i, Array.from(k).length]; })
      .filter(function (x) { return x[2] >= 3; })
      .sort(function (a, b) { return b[2] - a[2] || a[1] - b[1]; })
      .map(function (x) { return x[0]; });
  }

  function takeLaws(text, names, parsed, sorted) {
    if (!Object.keys(names).length) { return text; }
    for (var name of sorted) {
      if (text.indexOf(name) < 0) { continue; }
      var slug = names[name];
      if (parsed.laws.indexOf(slug) < 0) { parsed.laws.push(slug); }
      text = text.split(name).join(" ");
    }
    for (var prefix of ["《中华人民共和国", "中华人民共和国"]) { text = text.split(prefix).join(" "); }
    return text.split("《").join(" ").split("》").join(" ");
  }

  function findLaw(value, names) {
    var key = stripChars(normalise(value), "《》");
    if (key.indexOf("中华人民共和国") === 0) { key = key.slice("中华人民共和国".length); }
    return names[key] || names["中华人民共和国" + key] || null;
  }

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

  /** ranking.bm25f + preliminary + final_score + order_key over the loaded postings. */
  Engine.prototype.rank = function (parsed, entries, limit, all) {
    var self = this, cfg = this.manifest.ranking, scale = this.manifest.impactScale;
    var n = Math.max(this.manifest.documents, 1);
    var filtered = Object.keys(parsed.filters).some(function (k) { return ["status", "level", "category", "kind"].indexOf(k) >= 0; });
    var allowedCache = new Map();
    function allowed(doc) {
      if (!filtered) { return true; }
      var g = self.groupOf(doc);
      if (!allowedCache.has(g.index)) { allowedCache.set(g.index, self.passes(g, parsed.filters)); }
      return allowedCache.get(g.index);
    }

    // Groups of terms by the word the user typed (ranking.groups_of).
    var groups = [], bySource = new Map();
    parsed.terms.forEach(function (t) {
      if (!bySource.has(t.source)) { bySource.set(t.source, { source: t.source, terms: [] }); groups.push(bySource.get(t.source)); }
      bySource.get(t.source).terms.push([t.text, t.weight, t.whole || t.text]);
    });

    // Scores in typed arrays indexed by document (a Map per posting was most of a query's time
    // at scale); `scored` lists the documents that have a score, in the order first scored.
    var scores = new Float64Array(n), hasScore = new Uint8Array(n), scored = [], docsOf = new Map();
    function addPostings(term, qweight, postings) {
      var docs = docsOf.get(term), ids = postings.docs, impacts = postings.impacts;
      for (var i = 0; i < ids.length; i++) {
        var d = ids[i];
        if (!allowed(d)) { continue; }
        if (!hasScore[d]) { hasScore[d] = 1; scored.push(d); }
        scores[d] += qweight * impacts[i] / scale;
        docs.push(d);  // tiers split one list: a document comes once per term
      }
    }
    var pending = [];
    groups.forEach(function (group) {
      group.terms.forEach(function (t) {
        var entry = entries.get(t[0]);
        if (!entry || !entry.df || docsOf.has(t[0])) { return; }
        docsOf.set(t[0], []);
        addPostings(t[0], t[1], entry.postings);
        if (entry.more.length) { pending.push({ term: t[0], weight: t[1], more: entry.more.slice() }); }
      });
    });

    function idfOf(term) {
      var entry = entries.get(term);
      return entry && entry.df ? Math.log(1 + (n - entry.df + 0.5) / (entry.df + 0.5)) : null;
    }

    // Coordination (ranking._credits): how much of each query word a document has.
    var matched = new Float64Array(n), credit = new Float64Array(n), partial = new Float64Array(n);
    var inPartial = new Uint8Array(n);
    function coordination() {
      var total = 0;
      matched.fill(0);
      groups.forEach(function (group) {
        var idfs = new Map();
        group.terms.forEach(function (t) { var v = idfOf(t[0]); if (v !== null) { idfs.set(t[0], v); } });
        if (!idfs.size) { return; }
        var groupIdf = Math.max.apply(null, Array.from(idfs.values()));
        total += groupIdf;
        var wholes = new Map();
        group.terms.forEach(function (t) {
          if (!wholes.has(t[2])) { wholes.set(t[2], { weight: t[1], pieces: [] }); }
          if (t[0] !== t[2]) { wholes.get(t[2]).pieces.push(t[0]); }
        });
        var touched = [], i, d;
        wholes.forEach(function (w, whole) {
          var present = w.pieces.filter(function (p) { return idfs.has(p); });
          var pieceTotal = present.reduce(function (a, p) { return a + idfs.get(p); }, 0);
          var seen = [];  // documents with a partial credit for this whole word
          function see(doc) { if (!inPartial[doc]) { inPartial[doc] = 1; partial[doc] = 0; seen.push(doc); } }
          if (pieceTotal > 0) {
            present.forEach(function (p) {
              var docs = docsOf.get(p) || [], share = idfs.get(p) / pieceTotal;
              for (i = 0; i < docs.length; i++) { d = docs[i]; see(d); partial[d] += share; }
            });
          }
          var whole_ = docsOf.get(whole) || [];
          for (i = 0; i < whole_.length; i++) { d = whole_[i]; see(d); partial[d] = 1.0; }
          for (i = 0; i < seen.length; i++) {
            d = seen[i];
            inPartial[d] = 0;
            var value = Math.min(partial[d], 1.0) * w.weight;
            if (value > credit[d]) { if (credit[d] === 0) { touched.push(d); } credit[d] = value; }
          }
        });
        for (i = 0; i < touched.length; i++) { d = touched[i]; matched[d] += groupIdf * credit[d]; credit[d] = 0; }
      });
      var share = function (d) { return total <= 0 ? 1.0 : matched[d] / total; };
      share.total = total;
      return share;
    }

    // Later tiers of long postings lists: fetched only while they could still reach the top.
    var round = 0;
    function fetchMore() {
      if (!pending.length || (!all && round >= cfg.maxMoreRounds)) { return Promise.resolve(); }
      if (all) {  // every match is wanted: every tier at once, not one round trip per tier
        var jobs = [];
        pending.forEach(function (p) { p.more.forEach(function (tier) { jobs.push([p, tier[0]]); }); });
        return Promise.all(jobs.map(function (job) { return self.moreTier(job[1]); })).then(function (lists) {
          lists.forEach(function (postings, i) { addPostings(jobs[i][0].term, jobs[i][0].weight, postings); });
          pending = [];
        });
      }
      var coord = coordination(), values = new Float64Array(scored.length), i;
      for (i = 0; i < scored.length; i++) { values[i] = scores[scored[i]] * Math.pow(coord(scored[i]), cfg.coordinationPower); }
      // The limit-th best value: a numeric sort of a copy (typed arrays sort natively).
      var kth = scored.length >= limit ? values.slice().sort()[scored.length - limit] : -Infinity;
      var bound = pending.reduce(function (a, p) { return a + p.weight * p.more[0][1] / scale; }, 0);
      if (scored.length >= limit && kth >= bound) { return Promise.resolve(); }
      // The tiers first: the browser's few connections serve requests in the order they were made.
      var tiers = Promise.all(pending.map(function (p) { return self.moreTier(p.more[0][0]); }));
      if (round === 0) {  // the provisional best: their text loads while the later tiers do
        var top = [];
        for (i = 0; i < scored.length; i++) { if (values[i] >= kth) { top.push([values[i], scored[i]]); } }
        top.sort(function (a, b) { return b[0] - a[0] || a[1] - b[1]; });
        self.warmDocuments(top.slice(0, limit).map(function (x) { return x[1]; }));
      }
      round++;
      return tiers.then(function (tiers) {
        tiers.forEach(function (postings, i) { addPostings(pending[i].term, pending[i].weight, postings); pending[i].more.shift(); });
        pending = pending.filter(function (p) { return p.more.length; });
        return fetchMore();
      });
    }

    return fetchMore().then(function () {
      var lawDocs = new Set(), exact = new Set(), extra = new Set(), numbered = new Set();
      var hasTerms = parsed.terms.length > 0;
      if (parsed.laws.length) {
        self.groups.forEach(function (g) {
          if (parsed.laws.indexOf(g.current) >= 0) { for (var d = g.first; d < g.first + g.count; d++) { lawDocs.add(d); } }
        });
      }
      if (parsed.article) {
        var art = [];
        self.groups.forEach(function (g) {
          articlesOf(g).forEach(function (key, i) {
            if (key[0] === parsed.article[0] && key[1] === parsed.article[1]) { art.push(g.first + i); }
          });
        });
        if (parsed.laws.length) { art.forEach(function (d) { if (lawDocs.has(d)) { exact.add(d); } }); }
        else if (!hasTerms) { art.forEach(function (d) { extra.add(d); }); }  // a bare 第八条: every 第八条
        else { art.forEach(function (d) { numbered.add(d); }); }  // an unrecognised name + 第N条
      }
      if (!hasTerms) {  // 《建筑法》第八条 first, then the rest of 建筑法 in order
        lawDocs.forEach(function (d) { extra.add(d); });
        if (!extra.size && filtered) {
          var first = [];
          for (var d = 0; d < n && first.length < Math.max(200, limit * 3); d++) { if (allowed(d)) { first.push(d); } }
          first.forEach(function (x) { extra.add(x); });
        }
      }
      if (parsed.docNumber) {  // a 文号 with words ranks its documents as a named regulation's; alone, lists them
        self.groups.forEach(function (g) {
          if (g.docno && g.docno.indexOf(parsed.docNumber) >= 0) {
            for (var d = g.first; d < g.first + g.count; d++) { (hasTerms ? lawDocs : extra).add(d); }
          }
        });
      }
      if (filtered) {
        exact.forEach(function (d) { if (!allowed(d)) { exact.delete(d); } });
        extra.forEach(function (d) { if (!allowed(d)) { extra.delete(d); } });
      }
      var masked = new Set();
      parsed.excluded.forEach(function (word) {
        self.excludedTerms(word).forEach(function (t) {
          var e = entries.get(t);
          if (e) { e.postings.docs.forEach(function (d) { masked.add(d); }); }
        });
      });
      // ranking.preliminary
      var coord = coordination();
      var weighted = coord.total > 0;
      var pool = (parsed.phrases.length || parsed.excluded.length) ? Math.max(400, limit * 10) : Math.max(cfg.pool, limit * 3);
      var keptDocs = [], keptValues = [];
      function consider(d) {
        var s = weighted ? scores[d] * Math.pow(coord(d), cfg.coordinationPower) : (extra.has(d) ? 1.0 : 0);
        if (!(s > 0 || extra.has(d) || exact.has(d)) || masked.has(d)) { return; }
        if (lawDocs.size && lawDocs.has(d)) { s *= cfg.namedLawFactor; }
        if (numbered.size && numbered.has(d)) { s *= cfg.articleFactor; }
        if (exact.size && exact.has(d)) { s += cfg.exactBonus; }
        keptDocs.push(d);
        keptValues.push(s);
      }
      // Every scored document, then the named ones without a score (the sort below fixes the order).
      scored.forEach(consider);
      extra.forEach(function (d) { if (!hasScore[d]) { hasScore[d] = 1; consider(d); } });
      exact.forEach(function (d) { if (!hasScore[d]) { hasScore[d] = 1; consider(d); } });
      // Only the pool's worth is sorted: the pool-th best value first (a native numeric sort),
      // then the documents at or above it (ties included, so the cut is the same as sorting all).
      var floor = keptValues.length > pool ? Float64Array.from(keptValues).sort()[keptValues.length - pool] : -Infinity;
      var prelim = [];
      for (var c = 0; c < keptDocs.length; c++) { if (keptValues[c] >= floor) { prelim.push([keptValues[c], keptDocs[c]]); } }
      prelim.sort(function (a, b) { return b[0] - a[0] || a[1] - b[1]; });
      prelim = prelim.slice(0, pool);
      var hits = [];
      prelim.forEach(function (p) {  // ranking.final_score
        var group = self.groupOf(p[1]), score = p[0];
        if (group.kind === "article") { var f = cfg.statusFactor[group.status]; score *= f === undefined ? 1 : f; }
        var k = cfg.kindFactor[group.kind]; score *= k === undefined ? 1 : k;
        if (parsed.docNumber && !hasTerms && group.docno && group.docno.indexOf(parsed.docNumber) >= 0) { score = cfg.exactBonus; }
        hits.push({ doc: p[1], group: group, score: score });
      });
      hits.sort(function (a, b) {  // ranking.order_key
        var sa = Math.round(a.score * 1e9) / 1e9, sb = Math.round(b.score * 1e9) / 1e9;
        if (sa !== sb) { return sb - sa; }
        var fa = a.group.status !== "有效", fb = b.group.status !== "有效";
        if (fa !== fb) { return fa ? 1 : -1; }
        if (a.group.law !== b.group.law) { return a.group.law < b.group.law ? -1 : 1; }
        var ka = self.articleKey(a.doc), kb = self.articleKey(b.doc);
        return ka[0] - kb[0] || ka[1] - kb[1] || a.doc - b.doc;
      });
      // Every candidate above is a match (it has a query word, or the query names it).
      if (!parsed.phrases.length && !parsed.excluded.length) {
        // Documents only in postings tiers left unloaded are not counted: then a lower bound.
        return { hits: hits.slice(0, limit), total: keptDocs.length, totalExact: !pending.length };
      }
      return self.acceptPhrases(hits, parsed, limit).then(function (ranked) {
        ranked.totalExact = ranked.totalExact && !pending.length;
        return ranked;
      });
    });
  };

  /** Phrases and exclusions are checked on the stored text of the best candidates (ranking.accept). */
  Engine.prototype.acceptPhrases = function (hits, parsed, limit) {
    var head = hits.slice(0, Math.max(limit * 3, 30));
    return this.documents(head.map(function (h) { return h.doc; })).then(function (docs) {
      var kept = [];
      docs.forEach(function (d, i) {
        var hay = normalise([d.group.title, d.chapter, d.text].join("\n"));
        if (parsed.phrases.some(function (p) { return hay.indexOf(p) < 0; })) { return; }
        if (parsed.excluded.some(function (x) { return hay.indexOf(normalise(x)) >= 0; })) { return; }
        kept.push(head[i]);
      });
      // Only the best candidates are checked against the phrases: beyond them the count is a bound.
      var checkedAll = head.length === hits.length;
      return { hits: kept.slice(0, limit), total: checkedAll ? kept.length : kept.length + hits.length - head.length,
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
    normalise: normalise, isWord: isWord, termHash: termHash, bucketOf: bucketOf,
    Segmenter: Segmenter, Analyzer: Analyzer, Engine: Engine, cnToInt: cnToInt, snippet: snippet, clean: clean,
  };
});

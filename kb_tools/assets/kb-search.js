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
    var out = "";
    for (var ch of text) {
      var code = ch.codePointAt(0);
      if (code >= 0xFF01 && code <= 0xFF5E) { ch = String.fromCodePoint(code - 0xFEE0); }
      else if (code === 0x3000) { ch = " "; }
      var low = ch.toLowerCase();
      out += (low.length === ch.length && Array.from(low).length === 1) ? low : ch;
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
    this.loaded = new Map();  // bucket -> Promise
    this.stopwords = new Set(config.stopwords);
    this.questionWords = new Set(config.questionWords);
    this.synonyms = config.synonyms;  // everyday word -> [term, ...] (already analyzed at build)
    this.segmenter = new Segmenter(this.freq, config.total, config.maxLen);
  }

  /** Load the dictionary buckets every character of `text` needs. */
  Analyzer.prototype.prepare = function (text) {
    var self = this, waits = [];
    for (var ch of new Set(Array.from(text))) {
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

  Analyzer.prototype.addBucket = function (data) {
    for (var first of Object.keys(data)) {
      for (var entry of data[first].split("|")) {
        var space = entry.lastIndexOf(" ");
        this.freq.set(first + entry.slice(0, space), parseInt(entry.slice(space + 1), 10));
      }
    }
  };

  /** Index-side tokens [text, startchar, endchar] (analyzer.tokenize); call prepare() first. */
  Analyzer.prototype.tokenize = function (text) {
    var stop = this.stopwords;
    return this.segmenter.tokenize(normalise(text)).filter(function (t) {
      return !stop.has(t[0]) && isWord(t[0]);
    });
  };

  /** Query terms {text, weight, source} (analyzer.query_tokens). */
  Analyzer.prototype.queryTokens = function (text) {
    var tokens = this.tokenize(text), qw = this.questionWords;
    var kept = tokens.filter(function (t) { return !qw.has(t[0]); });
    if (kept.length === 0) { kept = tokens; }
    var terms = new Map();
    for (var token of kept) {
      if (!terms.has(token[0])) { terms.set(token[0], { text: token[0], weight: 1.0, source: token[0] }); }
      var formal = this.synonyms[token[0]];
      if (!formal || insideLonger(token, tokens)) { continue; }
      for (var list of formal) {
        for (var sub of list) {
          if (!terms.has(sub)) { terms.set(sub, { text: sub, weight: this.config.synonymWeight, source: token[0] }); }
        }
      }
    }
    return Array.from(terms.values());
  };

  function insideLonger(token, tokens) {
    var len = Array.from(token[0]).length;
    return tokens.some(function (t) {
      return t[1] <= token[1] && token[2] <= t[2] && t[2] - t[1] > len;
    });
  }

  // ---------------------------------------------------------------- numerals and references

  var DIGITS = { "零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9 };
  var UNITS = { "十": 10, "百": 100, "千": 1000 };

  /** "一百零三" -> 103, "64" -> 64; NaN when not a number. */
  function parseNumber(text) {
    if (/^[0-9]+$/.test(text)) { return parseInt(text, 10); }
    var total = 0, digit = 0, seen = false;
    for (var ch of text) {
      if (ch in DIGITS) { digit = DIGITS[ch]; seen = true; }
      else if (ch in UNITS) { total += (seen ? digit : 1) * UNITS[ch]; digit = 0; seen = false; }
      else { return NaN; }
    }
    return total + digit;
  }

  var ARTICLE_RE = /第?\s*([0-9]+|[零〇一二两三四五六七八九十百千]+)\s*条(?:之([0-9]+|[一二三四五六七八九十]+))?/;

  // ---------------------------------------------------------------- the engine

  function decodePostings(flat) {
    var docs = [], impacts = [], doc = 0;
    for (var i = 0; i < flat.length; i += 2) { doc += flat[i]; docs.push(doc); impacts.push(flat[i + 1]); }
    return { docs: docs, impacts: impacts };
  }

  /**
   * Engine over one static index. `load(path)` fetches a file below the index directory and
   * resolves to parsed JSON (rejects on any failure).
   */
  function Engine(load) {
    this.load = load;
    this.manifest = null;
    this.analyzer = null;
    this.groups = null;
    this.shards = new Map();
    this.docShards = new Map();
    this.overflow = new Map();
  }

  Engine.prototype.ready = function () {
    var self = this;
    if (!this._ready) {
      this._ready = this.load("manifest.json").then(function (manifest) {
        self.manifest = manifest;
        self.analyzer = new Analyzer(manifest.analyzer, self.load);
        return self.load("groups.json");
      }).then(function (groups) {
        self.groups = groups.map(function (g) {
          return { title: g[0], url: g[1], status: g[2], level: g[3], kind: g[4], first: g[5], count: g[6],
                   names: g[7], articles: expandRuns(g[8]), current: g[9] };
        });
        self.groupStarts = self.groups.map(function (g) { return g.first; });
      }).catch(function (error) { self._ready = null; throw error; });
    }
    return this._ready;
  };

  function expandRuns(runs) {
    // "1-12,12.1,13-20" -> ["1", ..., "12", "12.1", "13", ...]
    var out = [];
    if (!runs) { return out; }
    for (var part of runs.split(",")) {
      var dash = part.indexOf("-");
      if (dash > 0) {
        var a = parseInt(part.slice(0, dash), 10), b = parseInt(part.slice(dash + 1), 10);
        for (var n = a; n <= b; n++) { out.push(String(n)); }
      } else { out.push(part); }
    }
    return out;
  }

  Engine.prototype.groupOf = function (doc) {
    var lo = 0, hi = this.groupStarts.length - 1;
    while (lo < hi) {
      var mid = (lo + hi + 1) >> 1;
      if (this.groupStarts[mid] <= doc) { lo = mid; } else { hi = mid - 1; }
    }
    return this.groups[lo];
  };

  Engine.prototype.termShard = function (index) {
    if (!this.shards.has(index)) {
      var self = this;
      this.shards.set(index, this.load("terms/" + index + ".json").catch(function (error) {
        self.shards.delete(index); throw error;
      }));
    }
    return this.shards.get(index);
  };

  Engine.prototype.overflowChunk = function (id) {
    if (!this.overflow.has(id)) {
      var self = this;
      this.overflow.set(id, this.load("more/" + id + ".json").then(decodePostings).catch(function (error) {
        self.overflow.delete(id); throw error;
      }));
    }
    return this.overflow.get(id);
  };

  Engine.prototype.docShard = function (index) {
    if (!this.docShards.has(index)) {
      var self = this;
      this.docShards.set(index, this.load("docs/" + index + ".json").catch(function (error) {
        self.docShards.delete(index); throw error;
      }));
    }
    return this.docShards.get(index);
  };

  /** The regulation and article a query names ("城乡规划法 64条", "《建筑法》第八条"), if any. */
  Engine.prototype.articleReference = function (query) {
    var text = normalise(query).replace(/[《》〈〉<>“”"'\s]/g, "");
    var match = ARTICLE_RE.exec(text);
    if (!match) { return null; }
    var number = parseNumber(match[1]);
    var suffix = match[2] ? parseNumber(match[2]) : 0;
    if (!(number > 0)) { return null; }
    var best = null, bestLen = 0;
    for (var g of this.groups) {
      if (g.kind !== "law") { continue; }
      for (var name of g.names) {
        var len = name.length;
        if (len > bestLen || (len === bestLen && best && !best.current && g.current)) {
          if (text.indexOf(name) >= 0) { best = g; bestLen = len; }
        }
      }
    }
    if (!best) { return null; }
    var key = suffix ? number + "." + suffix : String(number);
    var at = best.articles.indexOf(key);
    return at < 0 ? null : best.first + at;
  };

  /**
   * Search: resolves to {terms, hits: [{doc, score, group}], total}. Options: limit (default 20),
   * inForce (only 有效 texts).
   */
  Engine.prototype.search = function (query, options) {
    options = options || {};
    var self = this, limit = options.limit || 20;
    query = String(query || "").slice(0, 200);
    return this.ready().then(function () {
      return self.analyzer.prepare(query);
    }).then(function () {
      var terms = self.analyzer.queryTokens(query);
      var nt = self.manifest.termShards;
      var shardIds = terms.map(function (t) { return termHash(t.text) % nt; });
      return Promise.all(shardIds.map(function (s) { return self.termShard(s); })).then(function (shards) {
        var lists = terms.map(function (t, i) { return { term: t, entry: shards[i][t.text] || null }; });
        return self.rank(query, terms, lists, limit, options);
      });
    });
  };

  Engine.prototype.rank = function (query, terms, lists, limit, options) {
    var self = this, cfg = this.manifest.scoring;
    var sources = new Map();  // source word -> weight of its best term (coordination counts sources)
    for (var t of terms) { sources.set(t.source, Math.max(sources.get(t.source) || 0, 1)); }
    var sourceIds = Array.from(sources.keys());
    var scores = new Map(), matched = new Map();

    function add(list, postings) {
      var w = list.term.weight, bit = sourceIds.indexOf(list.term.source);
      for (var i = 0; i < postings.docs.length; i++) {
        var doc = postings.docs[i];
        scores.set(doc, (scores.get(doc) || 0) + w * postings.impacts[i]);
        var m = matched.get(doc) || new Set(); m.add(bit); matched.set(doc, m);
      }
    }

    for (var list of lists) {
      if (list.entry) { add(list, decodePostings(list.entry[2])); }
    }
    // Load further tiers of a term while its unseen postings could still reach the top.
    var pending = lists.filter(function (l) { return l.entry && l.entry[3] && l.entry[3].length; });
    var loadMore = function (round) {
      if (!pending.length || round > cfg.maxOverflowRounds) { return Promise.resolve(); }
      var kth = self.kthScore(scores, matched, sourceIds.length, limit);
      var bound = 0;
      for (var l of pending) { bound += l.term.weight * l.entry[3][0][1]; }
      if (kth >= bound * cfg.coordMax) { return Promise.resolve(); }
      var next = pending.map(function (l) { return l.entry[3].shift(); });
      return Promise.all(next.map(function (chunk) { return self.overflowChunk(chunk[0]); })).then(function (chunks) {
        chunks.forEach(function (postings, i) { add(pending[i], postings); });
        pending = pending.filter(function (l) { return l.entry[3].length; });
        return loadMore(round + 1);
      });
    };
    // Overflow tiers are consumed per search: copy the entry lists so the cache stays intact.
    pending = pending.map(function (l) {
      return { term: l.term, entry: [l.entry[0], l.entry[1], l.entry[2], l.entry[3].slice()] };
    });
    return loadMore(0).then(function () {
      var hits = [];
      scores.forEach(function (score, doc) {
        var group = self.groupOf(doc);
        if (options.inForce && group.status && group.status !== "有效") { return; }
        hits.push({ doc: doc, group: group, score: self.finalScore(score, matched.get(doc).size, sourceIds.length, group) });
      });
      var ref = self.articleReference(query);
      if (ref !== null) {
        var group = self.groupOf(ref);
        if (!(options.inForce && group.status && group.status !== "有效")) {
          hits = hits.filter(function (h) { return h.doc !== ref; });
          hits.push({ doc: ref, group: group, score: Infinity });
        }
      }
      hits.sort(function (a, b) { return b.score - a.score || a.doc - b.doc; });
      return { terms: terms, total: hits.length, hits: hits.slice(0, limit) };
    });
  };

  Engine.prototype.finalScore = function (score, matchedSources, totalSources, group) {
    var cfg = this.manifest.scoring;
    var coord = totalSources ? matchedSources / totalSources : 1;
    var s = score / 100 * (1 + cfg.coordination * coord * coord);
    var factor = cfg.statusFactor[group.status];
    return s * (factor === undefined ? 1 : factor);
  };

  Engine.prototype.kthScore = function (scores, matched, totalSources, k) {
    var self = this, all = [];
    scores.forEach(function (score, doc) {
      all.push(score / 100 * (1 + self.manifest.scoring.coordination * Math.pow(matched.get(doc).size / totalSources, 2)));
    });
    if (all.length < k) { return 0; }
    all.sort(function (a, b) { return b - a; });
    return all[k - 1] * 100;
  };

  /** Stored fields of documents: [{doc, label, url, chapter, text, group}] in the order given. */
  Engine.prototype.documents = function (docIds) {
    var self = this, size = this.manifest.docShardSize;
    var shards = Array.from(new Set(docIds.map(function (d) { return Math.floor(d / size); })));
    return Promise.all(shards.map(function (s) { return self.docShard(s); })).then(function () {
      return Promise.all(docIds.map(function (d) {
        return self.docShard(Math.floor(d / size)).then(function (rows) {
          var row = rows[d % size];
          return { doc: d, label: row[0], url: row[1], chapter: row[2], text: row[3], group: self.groupOf(d) };
        });
      }));
    });
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

  return {
    normalise: normalise, isWord: isWord, termHash: termHash, bucketOf: bucketOf,
    Segmenter: Segmenter, Analyzer: Analyzer, Engine: Engine, parseNumber: parseNumber, snippet: snippet,
  };
});

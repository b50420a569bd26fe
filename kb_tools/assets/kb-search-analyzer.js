/* 法规知识库: the browser engine's analyzer, the twin of kb_tools/search/analyzer.py.
 *
 * normalise, rjieba cut_for_search with HMM off (Segmenter), stopwords, question words,
 * numbers with units and synonyms, re-implemented line for line (tests/js/tokenize.test.mjs
 * checks it against vectors written from the Python analyzer). The jieba dictionary arrives in
 * buckets keyed by a word's first character, so a query loads only the buckets of its own
 * characters. Also numerals.cn_to_int (cnToInt), which the analyzer and the query parser share.
 *
 * One of four plain scripts loaded in order (no bundler): kb-search-analyzer.js,
 * kb-search-query.js, kb-search-ranking.js, kb-search.js (the engine; the public API is
 * described there). In the browser it adds KbSearchParts.analyzer; under Node it is a module.
 */
(function (root, factory) {
  "use strict";
  if (typeof module === "object" && module.exports) { module.exports = factory(); }
  else { (root.KbSearchParts = root.KbSearchParts || {}).analyzer = factory(); }
})(typeof self !== "undefined" ? self : this, function () {
  "use strict";

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

  // ---------------------------------------------------------------- numerals (numerals.cn_to_int)

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

  return {
    normalise: normalise, isWord: isWord, HAN_RE: HAN_RE, bucketOf: bucketOf, termHash: termHash,
    Segmenter: Segmenter, Analyzer: Analyzer, cnToInt: cnToInt,
  };
});

/* 法规知识库: the browser engine's query parser, the twin of kb_tools/search/query.py.
 *
 * clean (control characters, length, whitespace), 文号 forms (compactDocno, queryDocno) and
 * parseQuery: field filters (level: status: law: …), "phrases", -exclusions, a 文号, an article
 * reference (第八条, 8条, 六十四条, 第十条之一) and regulation names (longest first; with an article
 * reference also a shortened name such as 复议法), then the remaining
 * words through the analyzer. Loaded after kb-search-analyzer.js (browser: KbSearchParts.query).
 */
(function (root, factory) {
  "use strict";
  if (typeof module === "object" && module.exports) { module.exports = factory(require("./kb-search-analyzer.js")); }
  else { (root.KbSearchParts = root.KbSearchParts || {}).query = factory(root.KbSearchParts.analyzer); }
})(typeof self !== "undefined" ? self : this, function (analyzer) {
  "use strict";

  var normalise = analyzer.normalise, cnToInt = analyzer.cnToInt;

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
    "|(?<![\\d.])(\\d{1,4})\\s*条(?:\\s*之\\s*([" + CN_NUM + "]+|\\d+))?" +
    "|(?<![第\\d" + CN_NUM + "])([" + CN_NUM + "]*[十百][" + CN_NUM + "]*)\\s*条(?![例件])(?:\\s*之\\s*([" + CN_NUM + "]+|\\d+))?");
  var DOCNO_RE = /[^\s〔\[(]*\s*[〔\[(]\s*\d{4}\s*[〕\])]\s*\d+\s*号|\S*?令\s*第?\s*\d+\s*号|(?:\S*?第\s*)?(?<![\d.])\d+\s*号令/;
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
    var m = /^(.*?)第?(\d+)号令$/.exec(text);
    if (m) { return m[1] + "令第" + m[2] + "号"; }
    if (text.indexOf("国令") === 0) { text = "国务院令" + text.slice(2); }  // the short form of 国务院令
    return text.replace(/令(\d+)号$/, "令第$1号");
  }

  function stripChars(text, chars) {
    var a = Array.from(text), i = 0, j = a.length;
    while (i < j && chars.indexOf(a[i]) >= 0) { i++; }
    while (j > i && chars.indexOf(a[j - 1]) >= 0) { j--; }
    return a.slice(i, j).join("");
  }

  function isAlnumWord(word) { return /[\p{L}\p{N}]/u.test(word); }

  function takeArticle(text, parsed) {
    var m = ARTICLE_RE.exec(text);
    if (!m) { return text; }
    var number = cnToInt(m[1] || m[3] || m[5]);
    var suf = m[2] || m[4] || m[6];
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

  // query.take_abbreviation: a shortened name with an article reference (复议法第二十条).
  var NAME_ENDINGS = ["条例", "规定", "办法", "细则", "解释", "法"];
  var SHORTENED_RE = /[\u4e00-\u9fff]*?(?:条例|规定|办法|细则|解释|法)(?![\u4e00-\u9fff])/g;
  var SHORTENED_SLACK = 3;
  var SHORTENED_FILLER = ["司法"];
  var SHORTENED_GENERIC = new Set(["管理", "实施", "暂行", "若干", "有关", "相关", "关于", "法律", "行政", "办理"]);

  function takeAbbreviation(text, names, parsed) {
    if (parsed.laws.length || !parsed.article || !Object.keys(names).length) { return text; }
    SHORTENED_RE.lastIndex = 0;
    var m;
    while ((m = SHORTENED_RE.exec(text)) !== null) {
      if (m[0] === "") { SHORTENED_RE.lastIndex++; continue; }
      var run = Array.from(m[0]);
      for (var start = 0; start < run.length - 2; start++) {  // 关于复议法: 关于复议法, 于复议法, 复议法
        var slugs = shortenedName(run.slice(start).join(""), names);
        if (slugs.length) {
          parsed.laws = parsed.laws.concat(slugs);
          var cut = m.index + run.slice(0, start).join("").length;
          return text.slice(0, cut) + " " + text.slice(m.index + m[0].length);
        }
      }
    }
    return text;
  }

  /** query.shortened_name: the regulations a shortened name stands for, shortest names first. */
  function shortenedName(word, names) {
    var ending = NAME_ENDINGS.find(function (e) { return word.endsWith(e); });
    SHORTENED_FILLER.forEach(function (f) { word = word.split(f).join(""); });
    var chars = Array.from(word), core = chars.slice(0, chars.length - Array.from(ending).length).join("");
    if (Array.from(core).length < 2 || SHORTENED_GENERIC.has(core)) { return []; }
    var best = new Map();
    Object.keys(names).forEach(function (name) {
      if (!name.endsWith(ending) || !inOrder(chars, name)) { return; }
      var slug = names[name], n = Array.from(name).length;
      best.set(slug, Math.min(best.has(slug) ? best.get(slug) : n, n));
    });
    if (!best.size) { return []; }
    var shortest = Math.min.apply(null, Array.from(best.values()));
    return Array.from(best.keys()).filter(function (s) { return best.get(s) <= shortest + SHORTENED_SLACK; })
      .sort(function (a, b) { return best.get(a) - best.get(b) || (a < b ? -1 : a > b ? 1 : 0); });
  }

  function inOrder(chars, name) {
    var i = 0;
    for (var ch of name) { if (i < chars.length && ch === chars[i]) { i++; } }
    return i === chars.length;
  }

  function findLaw(value, names) {
    var key = stripChars(normalise(value), "《》");
    if (key.indexOf("中华人民共和国") === 0) { key = key.slice("中华人民共和国".length); }
    return names[key] || names["中华人民共和国" + key] || null;
  }


  /**
   * query.parse_query, over the index's name table. `index`: {names (name -> slug of the current
   * text), sortedNames (longestFirst(names)), maxQueryChars, analyzer (prepared for the query),
   * shortenedNames (the article_numbers mechanism is on)}.
   */
  function parseQuery(raw, index) {
    var names = index.names;
    var parsed = { text: "", terms: [], phrases: [], excluded: [], filters: {}, laws: [], article: null, docNumber: "" };
    var text = normalise(clean(raw, index.maxQueryChars));
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
    text = takeLaws(text, names, parsed, index.sortedNames);
    if (index.shortenedNames) { text = takeAbbreviation(text, names, parsed); }
    parsed.text = splitJoin(text);
    var terms = new Map();
    for (var part of [parsed.text].concat(parsed.phrases)) {
      for (var term of index.analyzer.queryTokens(part)) {
        if (!terms.has(term.text)) { terms.set(term.text, term); }
      }
    }
    parsed.terms = Array.from(terms.values());
    return parsed;
  }

  return {
    clean: clean, compactDocno: compactDocno, queryDocno: queryDocno, splitJoin: splitJoin,
    longestFirst: longestFirst, parseQuery: parseQuery,
  };
});

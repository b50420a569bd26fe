/* 法规知识库: the browser engine's ranking, the twin of kb_tools/search/ranking.py, function for
 * function: groupsOf, Bm25f (ranking.bm25f, with the coordination credits of ranking._credits),
 * preliminary (with ranking.lift_numbered), finalScore, compareHits (ranking.order_key), diversify
 * and accept; settled, which has no twin (whoosh has every posting at hand), says when the later
 * tiers of long postings lists can no longer change the first results; and the second pass of
 * kb_tools/search/rerank.py (rerank, rerankFactor), whose patterns and weights also come from Python.
 *
 * BM25F itself was computed when the index was written: a posting's impact is a document's
 * saturated, field-weighted term score, so here it is summed per document, multiplied by the
 * coordination factor (how much of the query's words a document has), by the named-regulation
 * and article-number factors, then by status and kind. The constants arrive from Python in
 * manifest.json ("ranking"), so the two engines cannot drift apart (tests/test_static_index.py
 * checks they order alike). Loaded after kb-search-query.js (browser: KbSearchParts.ranking).
 */
(function (root, factory) {
  "use strict";
  if (typeof module === "object" && module.exports) { module.exports = factory(require("./kb-search-analyzer.js")); }
  else { (root.KbSearchParts = root.KbSearchParts || {}).ranking = factory(root.KbSearchParts.analyzer); }
})(typeof self !== "undefined" ? self : this, function (analyzer) {
  "use strict";

  var normalise = analyzer.normalise;

  /** Query terms grouped by the word the user typed (ranking.groups_of): [{source, terms: [[text, weight, whole]]}]. */
  function groupsOf(terms) {
    var groups = [], bySource = new Map();
    terms.forEach(function (t) {
      if (!bySource.has(t.source)) { bySource.set(t.source, { source: t.source, terms: [] }); groups.push(bySource.get(t.source)); }
      bySource.get(t.source).terms.push([t.text, t.weight, t.whole || t.text]);
    });
    return groups;
  }

  /**
   * Scores of the documents the loaded postings reach (ranking.bm25f). Typed arrays indexed by
   * document: a Map per posting was most of a query's time at scale. `scored` lists the
   * documents that have a score, in the order first scored; `docsOf` each term's documents.
   * `allowed(doc)` says whether a document passes the filters (word rarity stays index-wide).
   */
  function Bm25f(n, scale, allowed) {
    this.n = n;
    this.scale = scale;
    this.allowed = allowed;
    this.scores = new Float64Array(n);
    this.hasScore = new Uint8Array(n);
    this.scored = [];
    this.docsOf = new Map();
    this.matched = new Float64Array(n);
    this.credit = new Float64Array(n);
    this.partial = new Float64Array(n);
    this.inPartial = new Uint8Array(n);
  }

  /** Add one postings list (a tier) of a term; tiers split one list, so a document comes once per term. */
  Bm25f.prototype.add = function (term, qweight, postings) {
    if (!this.docsOf.has(term)) { this.docsOf.set(term, []); }
    var docs = this.docsOf.get(term), ids = postings.docs, impacts = postings.impacts;
    var scores = this.scores, hasScore = this.hasScore, scored = this.scored, allowed = this.allowed, scale = this.scale;
    for (var i = 0; i < ids.length; i++) {
      var d = ids[i];
      if (!allowed(d)) { continue; }
      if (!hasScore[d]) { hasScore[d] = 1; scored.push(d); }
      scores[d] += qweight * impacts[i] / scale;
      docs.push(d);
    }
  };

  /**
   * The coordination factor (Scored.coordination): a function doc -> the idf-weighted share of
   * the query's words the document has; its `total` is the summed weight of the words any
   * document has (a word no document contains does not count). `idfOf(term)` is null for a term
   * the index does not have.
   */
  Bm25f.prototype.coordination = function (groups, idfOf) {
    var self = this, total = 0, matched = this.matched, credit = this.credit;
    matched.fill(0);
    groups.forEach(function (group) {
      var idfs = new Map();
      group.terms.forEach(function (t) { var v = idfOf(t[0]); if (v !== null) { idfs.set(t[0], v); } });
      if (!idfs.size) { return; }
      var groupIdf = Math.max.apply(null, Array.from(idfs.values()));
      total += groupIdf;
      var touched = self.credits(group, idfs);
      for (var i = 0; i < touched.length; i++) { var d = touched[i]; matched[d] += groupIdf * credit[d]; credit[d] = 0; }
    });
    var share = function (d) { return total <= 0 ? 1.0 : matched[d] / total; };
    share.total = total;
    return share;
  };

  /**
   * How much of one query word each document has, in [0, 1] (ranking._credits), left in
   * this.credit for the documents returned: the whole word (施工许可证) counts fully, some of
   * its pieces (施工, 许可) their idf-weighted share; a synonym's word counts with its weight.
   */
  Bm25f.prototype.credits = function (group, idfs) {
    var docsOf = this.docsOf, credit = this.credit, partial = this.partial, inPartial = this.inPartial;
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
    return touched;
  };

  /**
   * Whether the postings still unloaded (`pending`: {term, weight, more}) can no longer change the
   * top: no scored document could rise into it, or past the one above it. A document that lacks a
   * pending term may have it in a later tier: its score could gain that tier's highest impact and
   * its coordination the term's word (a common word's pieces, 建设 and 单位 of 建设单位, sit in the
   * later tiers of documents that do not say the whole word, so without this a document found only
   * in part ranks far below where ranking.py puts it). `values` are the current scores of bm.scored.
   */
  function settled(bm, coord, values, kth, pending, groups, idfOf, power, scale) {
    var total = coord.total, groupIdf = [], groupOf = new Map();
    groups.forEach(function (g, gi) {
      var idfs = g.terms.map(function (t) { return idfOf(t[0]); }).filter(function (v) { return v !== null; });
      groupIdf.push(idfs.length ? Math.max.apply(null, idfs) : 0);
      g.terms.forEach(function (t) { if (!groupOf.has(t[0])) { groupOf.set(t[0], gi); } });
    });
    var has = pending.map(function (p) {  // who already has each pending term
      var mark = new Uint8Array(bm.n), docs = bm.docsOf.get(p.term) || [];
      for (var i = 0; i < docs.length; i++) { mark[docs[i]] = 1; }
      return mark;
    });
    var order = values.filter(function (v) { return v >= kth; }).sort().reverse();  // the first results' values, best first
    function above(v) {  // the smallest current value above v (Infinity: none)
      var lo = 0, hi = order.length;  // order is descending: find the last index with order[i] > v
      while (lo < hi) { var mid = (lo + hi) >> 1; if (order[mid] > v) { lo = mid + 1; } else { hi = mid; } }
      return lo > 0 ? order[lo - 1] : Infinity;
    }
    for (var i = 0; i < bm.scored.length; i++) {
      var d = bm.scored[i], gain = 0, share = 0, seen = new Set();
      for (var k = 0; k < pending.length; k++) {
        if (has[k][d]) { continue; }
        gain += pending[k].weight * pending[k].more[0][1] / scale;
        var g = groupOf.get(pending[k].term);
        if (!seen.has(g)) { seen.add(g); share += total > 0 ? groupIdf[g] / total : 0; }
      }
      if (!gain) { continue; }  // every term it can have is loaded: its score is final
      var potential = (bm.scores[d] + gain) * Math.pow(Math.min(1, coord(d) + share), power);
      if (potential > (values[i] >= kth ? above(values[i]) : kth)) { return false; }
    }
    return true;
  }

  /** The k-th best of some values (-Infinity when there are fewer): a native numeric sort of a copy. */
  function kthBest(values, k) {
    return values.length >= k ? Float64Array.from(values).sort()[values.length - k] : -Infinity;
  }

  /**
   * The best `pool` documents before their stored values are read (ranking.preliminary):
   * BM25F x coordination, named regulation, article number (when no regulation was recognised)
   * and the exact article. `refs`: {lawDocs, exact, extra, numbered} (Sets of documents) and
   * regulationOf (doc -> its group's index), `masked` the documents an exclusion removes.
   * Returns [[score, doc]] best first.
   */
  function preliminary(bm, coord, refs, masked, cfg, pool) {
    var weighted = coord.total > 0, scores = bm.scores, hasScore = bm.hasScore;
    var lawDocs = refs.lawDocs, exact = refs.exact, extra = refs.extra, numbered = refs.numbered;
    var keptDocs = [], keptValues = [];
    function base(d) { return weighted ? scores[d] * Math.pow(coord(d), cfg.coordinationPower) : (extra.has(d) ? 1.0 : 0); }
    // ranking.lift_numbered: a referenced article rises to the best score of its regulation.
    var best = null;
    if (weighted && numbered.size && cfg.articleNumbers) {
      best = new Map();
      bm.scored.forEach(function (d) {
        var s = base(d), g;
        if (s > 0 && !masked.has(d)) { g = refs.regulationOf(d); if (!(best.get(g) >= s)) { best.set(g, s); } }
      });
    }
    function consider(d) {
      var s = base(d);
      if (best && numbered.has(d)) { var top = best.get(refs.regulationOf(d)); if (top > s) { s = top; } }
      if (!(s > 0 || extra.has(d) || exact.has(d)) || masked.has(d)) { return; }
      if (lawDocs.size && lawDocs.has(d)) { s *= cfg.namedLawFactor; }
      if (numbered.size && numbered.has(d)) { s *= cfg.articleFactor; }
      if (exact.size && exact.has(d)) { s += cfg.exactBonus; }
      keptDocs.push(d);
      keptValues.push(s);
    }
    // Every scored document, then the named ones without a score (the sort below fixes the order).
    bm.scored.forEach(consider);
    extra.forEach(function (d) { if (!hasScore[d]) { hasScore[d] = 1; consider(d); } });
    exact.forEach(function (d) { if (!hasScore[d]) { hasScore[d] = 1; consider(d); } });
    if (best) { numbered.forEach(function (d) { if (!hasScore[d]) { hasScore[d] = 1; consider(d); } }); }
    // Only the pool's worth is sorted: the pool-th best value first, then the documents at or
    // above it (ties included, so the cut is the same as sorting all).
    var floor = keptValues.length > pool ? kthBest(keptValues, pool) : -Infinity;
    var prelim = [];
    for (var c = 0; c < keptDocs.length; c++) { if (keptValues[c] >= floor) { prelim.push([keptValues[c], keptDocs[c]]); } }
    prelim.sort(function (a, b) { return b[0] - a[0] || a[1] - b[1]; });
    prelim = prelim.slice(0, pool);
    prelim.matches = keptDocs.length;  // every candidate is a match (a query word, or the query names it)
    return prelim;
  }

  /** What needs the group's values: status, kind, a bare 文号 (ranking.final_score). */
  function finalScore(group, score, parsed, cfg, hasTerms) {
    if (group.kind === "article") { var f = cfg.statusFactor[group.status]; score *= f === undefined ? 1 : f; }
    var k = cfg.kindFactor[group.kind]; score *= k === undefined ? 1 : k;
    if (parsed.docNumber && !hasTerms && group.docno && group.docno.indexOf(parsed.docNumber) >= 0) { score = Math.max(score, cfg.exactBonus); }
    return score;
  }

  /**
   * ranking.order_key: score (to 9 decimals), then current texts, then reading order within a
   * regulation. Hits are {doc, group, score}; `articleKey(doc)` is [number, suffix].
   */
  function compareHits(a, b, articleKey) {
    var sa = Math.round(a.score * 1e9) / 1e9, sb = Math.round(b.score * 1e9) / 1e9;
    if (sa !== sb) { return sb - sa; }
    var fa = a.group.status !== "有效", fb = b.group.status !== "有效";
    if (fa !== fb) { return fa ? 1 : -1; }
    if (a.group.law !== b.group.law) { return a.group.law < b.group.law ? -1 : 1; }
    var ka = articleKey(a.doc), kb = articleKey(b.doc);
    return ka[0] - kb[0] || ka[1] - kb[1] || a.doc - b.doc;
  }

  /** Whether a document ({group, chapter, text}) has the phrases and none of the exclusions (ranking.accept). */
  function accept(doc, parsed) {
    var hay = normalise([doc.group.title, doc.chapter, doc.text].join("\n"));
    if (parsed.phrases.some(function (p) { return hay.indexOf(p) < 0; })) { return false; }
    return !parsed.excluded.some(function (x) { return hay.indexOf(normalise(x)) >= 0; });
  }

  /** ranking.regulation_key: its current text's slug, or the page (here: the group). */
  function regulationKey(group) { return group.current || "#" + group.index; }

  /**
   * ranking.diversify: at most config.cap of the first config.depth hits from one regulation;
   * the place goes to the best hit of another among the first config.reach. `config` null (the
   * mechanism is off), a named regulation or 文号, or a query without words: hits unchanged.
   */
  function diversify(hits, parsed, config, exactBonus) {
    if (!config || !parsed.terms.length || parsed.laws.length || parsed.docNumber) { return hits; }
    var out = hits.slice(), count = new Map();
    var seen = function (h) { return count.get(regulationKey(h.group)) || 0; };
    for (var i = 0; i < Math.min(config.depth, out.length); i++) {
      if (seen(out[i]) >= config.cap && out[i].score < exactBonus / 10) {
        var other = -1;
        for (var j = i + 1; j < Math.min(config.reach, out.length); j++) { if (seen(out[j]) < config.cap) { other = j; break; } }
        if (other < 0) { break; }
        out.splice(i, 0, out.splice(other, 1)[0]);
      }
      count.set(regulationKey(out[i].group), seen(out[i]) + 1);
    }
    return out;
  }

  // ---------------------------------------------------------------- the second pass (rerank.py)

  /** The user's own words (weight 1 terms) by the word they came from (rerank.query_words). */
  function queryWords(parsed) {
    var words = new Map();
    parsed.terms.forEach(function (t) {
      if (t.weight >= 1.0) {
        if (!words.has(t.source)) { words.set(t.source, new Set()); }
        words.get(t.source).add(t.text);
      }
    });
    return words;
  }

  var compiled = new Map();
  /** A pattern shipped from Python (rerank.py), compiled once. */
  function pattern(source) {
    if (!compiled.has(source)) { compiled.set(source, new RegExp(source)); }
    return compiled.get(source);
  }

  /**
   * rerank.factor: the second pass's factor for one article (1: no change). `config` is the
   * manifest's ranking.rerank ({weights, patterns}); the same multiplications in the same order.
   */
  function rerankFactor(parsed, chapter, text, config, words) {
    var w = config.weights, p = config.patterns, m = 1.0;
    var asked = normalise([parsed.text].concat(parsed.phrases).join(" "));
    text = normalise(text);
    words = words || queryWords(parsed);
    if (w.proximity && words.size >= 2) {
      var best = 0;
      text.split(pattern(p.sentence)).forEach(function (sentence) {
        var count = 0;
        words.forEach(function (terms) {
          for (var t of terms) { if (sentence.indexOf(t) >= 0) { count++; return; } }
        });
        if (count > best) { best = count; }
      });
      m *= 1.0 + w.proximity * (best / words.size);
    }
    if (w.questionType && pattern(p.timeQuery).test(asked) && pattern(p.timeText).test(text)) { m *= 1.0 + w.questionType; }
    if (w.questionType && pattern(p.conditionQuery).test(asked) && pattern(p.conditionText).test(text)) { m *= 1.0 + w.questionType; }
    if (w.questionType && pattern(p.amountQuery).test(asked) && pattern(p.amountText).test(text)) { m *= 1.0 + w.questionType; }
    if (pattern(p.penaltyChapter).test(chapter)) {
      m *= 1.0 + (pattern(p.penaltyQuery).test(asked) ? w.penalty : w.nonPenalty);
    }
    return m;
  }

  /** Whether the second pass can change anything for this query (rerank.rerank's guard). */
  function reranks(parsed, config) {
    if (!config || !parsed.terms.length) { return false; }
    var w = config.weights;
    return !!(w.proximity || w.questionType || w.penalty || w.nonPenalty);
  }

  /**
   * rerank.rerank: the best `config.depth` hits (rank order) with their scores multiplied by
   * rerankFactor; `docs` are their stored rows ({chapter, text}) in the same order. Returns new
   * hits; the caller sorts them again (compareHits).
   */
  function rerank(hits, docs, parsed, config) {
    var words = queryWords(parsed);
    return hits.map(function (h, i) {
      if (i >= config.depth || h.score >= config.exactFloor) { return h; }
      var d = docs[i];
      return { doc: h.doc, group: h.group, score: h.score * rerankFactor(parsed, d.chapter || "", d.text || "", config, words) };
    });
  }

  return {
    queryWords: queryWords, rerankFactor: rerankFactor, reranks: reranks, rerank: rerank,
    diversify: diversify, settled: settled, groupsOf: groupsOf, Bm25f: Bm25f, kthBest: kthBest, preliminary: preliminary, finalScore: finalScore,
    compareHits: compareHits, accept: accept,
  };
});

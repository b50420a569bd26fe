// When the browser engine may stop fetching later postings tiers (ranking.settled): only when
// nothing still unloaded can change the first results. A document that has a query word only in
// pieces sitting in later tiers would otherwise keep a coordination far below ranking.py's.
import { test } from "node:test";
import assert from "node:assert/strict";
import { createRequire } from "node:module";

const require = createRequire(import.meta.url);
const ranking = require("../../kb_tools/assets/kb-search-ranking.js");

const IDF = { "建设": 1.0, "单位": 1.0, "建设单位": 3.0, "罚款": 2.0 };
const TERMS = [
  { text: "建设", weight: 1, source: "建设单位", whole: "建设单位" },
  { text: "单位", weight: 1, source: "建设单位", whole: "建设单位" },
  { text: "建设单位", weight: 1, source: "建设单位", whole: "建设单位" },
  { text: "罚款", weight: 1, source: "罚款", whole: "罚款" },
];
const POWER = 1.5, WANTED = 10;

/** Ten documents with every word loaded, and document 10 whose 建设 and 单位 lie in later tiers. */
function state(fineImpact) {
  const bm = new ranking.Bm25f(11, 1, () => true);
  const ten = Array.from({ length: 10 }, (_, i) => i);
  bm.add("建设单位", 1, { docs: ten, impacts: ten.map(() => 3) });
  bm.add("建设", 1, { docs: ten, impacts: ten.map(() => 0.5) });
  bm.add("单位", 1, { docs: ten, impacts: ten.map(() => 0.5) });
  bm.add("罚款", 1, { docs: [10, ...ten], impacts: [fineImpact, ...ten.map(() => 1)] });
  const groups = ranking.groupsOf(TERMS), idfOf = (t) => (t in IDF ? IDF[t] : null);
  const coord = bm.coordination(groups, idfOf);
  const values = Float64Array.from(bm.scored, (d) => bm.scores[d] * Math.pow(coord(d), POWER));
  const pending = [{ term: "建设", weight: 1, more: [["a", 0.3]] }, { term: "单位", weight: 1, more: [["b", 0.3]] }];
  const bound = pending.reduce((a, p) => a + p.weight * p.more[0][1], 0);
  return { bm, coord, values, kth: ranking.kthBest(values, WANTED), pending, groups, idfOf, bound };
}

test("a document that could rise into the first results with later tiers keeps them coming", () => {
  const s = state(6);
  // Its current value is far down (one of two words), the unseen documents cannot reach the top…
  assert.ok(s.values[s.bm.scored.indexOf(10)] < s.kth);
  assert.ok(s.kth >= s.bound);
  // …but with 建设 and 单位 loaded it has both words: (6 + 0.6) × 1 > the ten others' 5.
  assert.equal(ranking.settled(s.bm, s.coord, s.values, s.kth, s.pending, s.groups, s.idfOf, POWER, 1), false);
});

test("nothing left that could change the first results: the fetching stops", () => {
  const s = state(1);  // at best (1 + 0.6) × 1, below the others
  assert.equal(ranking.settled(s.bm, s.coord, s.values, s.kth, s.pending, s.groups, s.idfOf, POWER, 1), true);
  const loaded = state(6);  // every pending term already loaded for everyone that could gain
  loaded.bm.add("建设", 1, { docs: [10], impacts: [0.2] });
  loaded.bm.add("单位", 1, { docs: [10], impacts: [0.2] });
  const coord = loaded.bm.coordination(loaded.groups, loaded.idfOf);
  const fresh = Float64Array.from(loaded.bm.scored, (d) => loaded.bm.scores[d] * Math.pow(coord(d), POWER));
  // Document 10 now has both pieces (and ranks first); no one lacks a pending term.
  assert.equal(loaded.bm.scored[fresh.indexOf(Math.max(...fresh))], 10);
  assert.equal(ranking.settled(loaded.bm, coord, fresh, ranking.kthBest(fresh, WANTED), loaded.pending,
    loaded.groups, loaded.idfOf, POWER, 1), true);
});

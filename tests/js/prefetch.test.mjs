// The engine's loading order: term shards load while the query is typed, the text of the
// provisional best documents loads while later postings tiers do, and neither changes what a
// search returns or hides a failed file. A small index in the static index's own format, served
// from memory by a loader that records (and can hold back or fail) every request.
import { test } from "node:test";
import assert from "node:assert/strict";
import { createRequire } from "node:module";

const require = createRequire(import.meta.url);
const KbSearch = require("../../kb_tools/assets/kb-search.js");

const SHARDS = 8;
const BUCKETS = 4;
const WORDS = { "施工": 500, "许可": 400, "许可证": 300, "申请": 450 };

function shardOf(term) { return KbSearch.termHash(term) % SHARDS; }

/** Postings as the index writes them: [doc delta, impact, ...]. */
function flat(pairs) {
  const out = [];
  let last = 0;
  for (const [doc, impact] of pairs) { out.push(doc - last, impact); last = doc; }
  return out;
}

function buildIndex() {
  const files = new Map();
  files.set("manifest.json", {
    version: 1, documents: 12, termShards: SHARDS, docShardSize: 2, impactScale: 1000, maxQueryChars: 500,
    analyzer: { buckets: BUCKETS, total: 10000, maxLen: 3, stopwords: ["的"], questionWords: [], synonyms: {},
                synonymWeight: 0.5 },
    ranking: { statusFactor: { "有效": 1.0, "已废止": 0.4 }, kindFactor: { article: 1.0, section: 0.5 },
               coordinationPower: 1.5, namedLawFactor: 3.0, articleFactor: 3.0, exactBonus: 1e6, pool: 100,
               backOffWeight: 0.5, maxMoreRounds: 3 },
  });
  files.set("groups.json", {
    groups: [["建筑法", "", "有效", "法律", "article", 0, 12, "1-12", "jianzhu-fa", "", "", ""]],
    names: {},
  });
  for (let b = 0; b < BUCKETS; b++) { files.set(`dict/${b}.json`, {}); }
  for (const [word, f] of Object.entries(WORDS)) {
    const bucket = files.get(`dict/${KbSearch.bucketOf(word, BUCKETS)}.json`);
    const first = String.fromCodePoint(word.codePointAt(0));
    bucket[first] = (bucket[first] ? bucket[first] + "|" : "") + word.slice(first.length) + " " + f;
  }
  for (let s = 0; s < SHARDS; s++) { files.set(`terms/${s}.json`, {}); }
  // 施工: a short first tier in its shard and a later tier (more/0) that holds the best document;
  // 许可证: a long first tier in its own file (more/1); 许可 inline.
  files.get(`terms/${shardOf("施工")}.json`)["施工"] = [6, flat([[1, 300], [4, 200], [7, 100]]), [[0, 900]]];
  files.set("more/0.json", flat([[9, 900], [10, 50], [11, 40]]));
  files.get(`terms/${shardOf("许可证")}.json`)["许可证"] = [3, 1, []];
  files.set("more/1.json", flat([[4, 600], [9, 500], [10, 450]]));
  files.get(`terms/${shardOf("许可")}.json`)["许可"] = [4, flat([[4, 400], [9, 300], [10, 250], [2, 10]].sort((a, b) => a[0] - b[0])), []];
  for (let shard = 0; shard < 6; shard++) {
    const rows = [];
    for (let d = shard * 2; d < shard * 2 + 2; d++) {
      rows.push([`第${d + 1}条`, `laws/jianzhu-fa/#article-${d + 1}`, "", `第${d + 1}条的条文：施工许可证的申请。`]);
    }
    files.set(`docs/${shard}.json`, rows);
  }
  return files;
}

/** A loader over the files: records each request; `hold(prefix)` keeps matching ones waiting. */
function server(files) {
  const requested = [], held = [], failing = new Set(), hints = new Map();
  let holding = null;
  function load(path, hint) {
    requested.push(path);
    if (hint) { hints.set(path, hint); }
    if (failing.has(path)) { return Promise.reject(new Error(path + "（HTTP 500）")); }
    if (!files.has(path)) { return Promise.reject(new Error(path + "（HTTP 404）")); }
    const body = JSON.parse(JSON.stringify(files.get(path)));
    if (holding && path.startsWith(holding)) { return new Promise((resolve) => held.push(() => resolve(body))); }
    return Promise.resolve(body);
  }
  return {
    load, requested, failing, hints,
    hold(prefix) { holding = prefix; },
    release() { holding = null; held.splice(0).forEach((go) => go()); },
  };
}

const tick = () => new Promise((resolve) => setTimeout(resolve, 0));
const QUERY = "施工许可证";

async function reference() {
  const engine = new KbSearch.Engine(server(buildIndex()).load);
  return (await engine.search(QUERY, { limit: 3 })).hits.map((h) => [h.doc, h.score]);
}

test("the term shards of a query being typed load before the search runs", async () => {
  const net = server(buildIndex());
  const engine = new KbSearch.Engine(net.load);
  await engine.prefetch(QUERY);
  const shards = new Set(["施工", "许可", "许可证"].map((t) => `terms/${shardOf(t)}.json`));
  for (const path of shards) { assert.ok(net.requested.includes(path), path); }
  const before = net.requested.length;
  const result = await engine.search(QUERY, { limit: 3 });
  const during = net.requested.slice(before);
  for (const path of shards) { assert.ok(!during.includes(path), `${path} loaded twice`); }
  assert.deepEqual(result.hits.map((h) => [h.doc, h.score]), await reference());
});

test("the text of the provisional best documents loads while a later tier is on its way", async () => {
  const net = server(buildIndex());
  const engine = new KbSearch.Engine(net.load);
  net.hold("more/0.json");
  const searching = engine.search(QUERY, { limit: 3 });
  for (let i = 0; i < 20 && !net.requested.includes("more/0.json"); i++) { await tick(); }
  assert.ok(net.requested.includes("more/0.json"), "the later tier of 施工 is requested");
  // Documents 4 and 9/10 lead on the first tiers: their shards are already requested.
  assert.ok(net.requested.includes("docs/2.json"), net.requested.join(" "));
  assert.ok(net.requested.includes("docs/4.json") || net.requested.includes("docs/5.json"), net.requested.join(" "));
  // A guess goes at low priority, behind the later tier that the query needs.
  assert.deepEqual(net.hints.get("docs/2.json"), { priority: "low" });
  assert.equal(net.hints.get("more/0.json"), undefined);
  net.release();
  const result = await searching;
  assert.deepEqual(result.hits.map((h) => [h.doc, h.score]), await reference());
  assert.equal(result.hits[0].doc, 9, "the document of the later tier wins");
  const before = net.requested.length;
  await engine.documents(result.hits.map((h) => h.doc));
  assert.ok(!net.requested.slice(before).includes("docs/2.json"), "warmed shards come from the cache");
});

test("a term shard that fails while typing is loaded again by the search, and its failure is reported", async () => {
  const net = server(buildIndex());
  const engine = new KbSearch.Engine(net.load);
  const shard = `terms/${shardOf("许可证")}.json`;
  net.failing.add(shard);
  assert.equal(await engine.prefetch(QUERY), null, "a prefetch never throws");
  const before = net.requested.filter((p) => p === shard).length;
  await assert.rejects(engine.search(QUERY, { limit: 3 }), new RegExp(shard.replace(/[/.]/g, "\\$&")));
  assert.ok(net.requested.filter((p) => p === shard).length > before, "the search asked again");
  net.failing.delete(shard);
  const result = await engine.search(QUERY, { limit: 3 });
  assert.deepEqual(result.hits.map((h) => [h.doc, h.score]), await reference());
});

test("dictionary buckets load on the manifest alone, while groups.json is still on its way", async () => {
  const net = server(buildIndex());
  const engine = new KbSearch.Engine(net.load);
  net.hold("groups.json");
  const searching = engine.search(QUERY, { limit: 3 });
  let timer;
  const late = new Promise((resolve, reject) => { timer = setTimeout(() => reject(new Error("prepare waited for groups.json")), 2000); });
  await Promise.race([engine.prepare(QUERY), late]);  // resolves although groups.json is held back
  clearTimeout(timer);
  const buckets = new Set(Array.from(QUERY).map((ch) => `dict/${KbSearch.bucketOf(ch, BUCKETS)}.json`));
  for (const path of buckets) { assert.ok(net.requested.includes(path), path); }
  assert.ok(!net.requested.some((p) => p.startsWith("terms/")), "no term before the names are known");
  net.release();
  const result = await searching;
  assert.deepEqual(result.hits.map((h) => [h.doc, h.score]), await reference());
});

test("a manifest that fails is asked for again by the next query", async () => {
  const net = server(buildIndex());
  const engine = new KbSearch.Engine(net.load);
  net.failing.add("manifest.json");
  await assert.rejects(engine.search(QUERY, { limit: 3 }), /manifest\.json/);
  net.failing.delete("manifest.json");
  const result = await engine.search(QUERY, { limit: 3 });
  assert.deepEqual(result.hits.map((h) => [h.doc, h.score]), await reference());
});

test("a search counts its matches; all: true gives every match, in the order of the top-k search", async () => {
  const union = new Set([1, 4, 7, 9, 10, 11, 4, 9, 10, 2]);  // 施工 (both tiers), 许可证, 许可
  const top = await new KbSearch.Engine(server(buildIndex()).load).search(QUERY, { limit: 3 });
  assert.equal(top.hits.length, 3);
  assert.ok(top.total >= 3 && top.total <= union.size);
  if (top.totalExact) { assert.equal(top.total, union.size); }
  const net = server(buildIndex());
  const every = await new KbSearch.Engine(net.load).search(QUERY, { all: true });
  assert.equal(every.totalExact, true);
  assert.equal(every.total, union.size);
  assert.deepEqual(new Set(every.hits.map((h) => h.doc)), union);
  assert.deepEqual(every.hits.slice(0, 3).map((h) => [h.doc, h.score]), await reference());
  assert.ok(net.requested.includes("more/0.json"));  // every tier, not only those that could reach the top
});

test("groupDates loads the dates file only when asked", async () => {
  const files = buildIndex();
  files.set("dates.json", ["1998-03-01"]);
  const net = server(files);
  const engine = new KbSearch.Engine(net.load);
  await engine.search(QUERY, { limit: 3 });
  assert.ok(!net.requested.includes("dates.json"));
  assert.deepEqual(await engine.groupDates(), ["1998-03-01"]);
});

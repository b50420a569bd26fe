// The browser engine tokenizes exactly as the Python analyzer: checked against the shared vectors
// (tests/data/tokenize_vectors.json, written from kb_tools/search/analyzer.py).
// The dictionary comes the way the browser gets it: jieba's words plus the analyzer's entries,
// cut into first-character buckets and loaded bucket by bucket through Analyzer.prepare().
import { test } from "node:test";
import assert from "node:assert/strict";
import fs from "node:fs";
import zlib from "node:zlib";
import { createRequire } from "node:module";

const require = createRequire(import.meta.url);
const KbSearch = require("../../kb_tools/assets/kb-search.js");
const root = new URL("../../", import.meta.url);
const vectors = JSON.parse(fs.readFileSync(new URL("tests/data/tokenize_vectors.json", root), "utf8"));
const BUCKETS = 64;

function dictionary() {
  const text = zlib.gunzipSync(fs.readFileSync(new URL("kb_tools/data/jieba_dict.txt.gz", root))).toString("utf8");
  const freq = new Map();
  for (const line of text.split("\n")) {
    const space = line.indexOf(" ");
    if (space > 0) { freq.set(line.slice(0, space), parseInt(line.slice(space + 1), 10)); }
  }
  for (const [word, f] of vectors.dictionary_entries) { freq.set(word, f); }
  let total = 0, maxLen = 0;
  const buckets = new Map();
  for (const [word, f] of freq) {
    total += f;
    maxLen = Math.max(maxLen, Array.from(word).length);
    const first = String.fromCodePoint(word.codePointAt(0));
    const b = KbSearch.bucketOf(word, BUCKETS);
    if (!buckets.has(b)) { buckets.set(b, {}); }
    const bucket = buckets.get(b);
    bucket[first] = (bucket[first] ? bucket[first] + "|" : "") + word.slice(first.length) + " " + f;
  }
  return { total, maxLen, buckets };
}

const dict = dictionary();
const loads = [];
const analyzer = new KbSearch.Analyzer({
  total: dict.total, maxLen: dict.maxLen, buckets: BUCKETS,
  stopwords: vectors.stopwords, questionWords: vectors.question_words,
  synonyms: vectors.synonyms, synonymWeight: 0.9,
}, (path) => { loads.push(path); return Promise.resolve(dict.buckets.get(parseInt(path.slice(5), 10)) || {}); });

test("every vector tokenizes as the Python analyzer does", async () => {
  assert.ok(vectors.vectors.length > 250);
  for (const c of vectors.vectors) {
    await analyzer.prepare(c.input);
    assert.deepEqual(analyzer.tokenize(c.input), c.tokens, c.input);
  }
});

test("query terms (question words, synonyms) match the Python analyzer", async () => {
  for (const c of vectors.vectors) {
    await analyzer.prepare(c.input);
    const got = analyzer.queryTokens(c.input).map((t) => [t.text, t.weight, t.source, t.whole]);
    assert.deepEqual(got, c.query, c.input);
  }
});

test("a query loads only the dictionary buckets of its own characters", async () => {
  const fresh = new KbSearch.Analyzer({ total: dict.total, maxLen: dict.maxLen, buckets: BUCKETS,
    stopwords: [], questionWords: [], synonyms: {}, synonymWeight: 0.9 },
  (path) => { loads.length = 0; loads.push(path); return Promise.resolve(dict.buckets.get(parseInt(path.slice(5), 10)) || {}); });
  const seen = [];
  fresh.load = (path) => { seen.push(path); return Promise.resolve(dict.buckets.get(parseInt(path.slice(5), 10)) || {}); };
  await fresh.prepare("建筑法");
  assert.ok(seen.length >= 1 && seen.length <= 3, seen.join(","));
  await fresh.prepare("建筑");
  assert.ok(seen.length <= 3, "buckets already loaded are not fetched again");
});

test("normalise maps width and case one character for one", () => {
  assert.equal(KbSearch.normalise("ＡＢＣ１２３　《建筑法》"), "abc123 《建筑法》");
});

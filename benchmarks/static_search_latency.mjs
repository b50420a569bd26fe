// How many round trips the browser engine waits for, independent of how loaded the machine is:
// the 40 dev queries typed into one warm engine (a prefetch per keystroke, 40 ms apart, the
// search 60 ms after the last one, as kb-search-ui.js does), every file served from disk after a
// fixed delay. Prints the median and p95 of "last keystroke -> results with their text".
//
//   node benchmarks/static_search_latency.mjs INDEX_DIR [DELAY_MS] [ENGINE_JS]
//
// INDEX_DIR is a search/kb folder; ENGINE_JS defaults to kb_tools/assets/kb-search.js (pass an
// older copy to compare).
import fs from "node:fs";
import path from "node:path";
import { createRequire } from "node:module";

const require = createRequire(import.meta.url);
const root = new URL("../", import.meta.url);
const [indexDir, delayArg, engineArg] = process.argv.slice(2);
if (!indexDir) { console.error("usage: static_search_latency.mjs INDEX_DIR [DELAY_MS] [ENGINE_JS]"); process.exit(2); }
const DELAY = Number(delayArg || 50), KEY_MS = 40, DEBOUNCE_MS = 60, LIMIT = 20;
const KbSearch = require(path.resolve(engineArg || new URL("kb_tools/assets/kb-search.js", root).pathname));
const queries = fs.readFileSync(new URL("../shared/eval/queries-dev.tsv", root), "utf8")
  .split("\n").slice(1).filter(Boolean).map((line) => line.split("\t")[1]);

let files = 0;
function load(file) {
  files++;
  return new Promise((resolve) => setTimeout(resolve, DELAY))
    .then(() => JSON.parse(fs.readFileSync(path.join(indexDir, file), "utf8")));
}
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

const engine = new KbSearch.Engine(load);
await engine.ready();
const times = [];
for (const query of queries) {
  const chars = Array.from(query);
  for (let i = 1; i <= chars.length; i++) {
    engine.prefetch(chars.slice(0, i).join(""));
    if (i < chars.length) { await sleep(KEY_MS); }
  }
  const typed = performance.now();
  await sleep(DEBOUNCE_MS);
  const result = await engine.search(query, { limit: LIMIT });
  await engine.documents(result.hits.map((h) => h.doc));
  times.push(performance.now() - typed);
  await sleep(300);  // prefetches of this query settle before the next
}
if (process.env.KB_LATENCY_EACH) { queries.forEach((q, i) => console.log(Math.round(times[i]), q)); }
times.sort((a, b) => a - b);
const at = (q) => Math.round(times[Math.min(times.length - 1, Math.floor(q * times.length))]);
console.log(`${queries.length} queries, ${DELAY} ms per file: last keystroke -> results median ${at(0.5)} ms, ` +
            `p95 ${at(0.95)} ms, max ${at(1)} ms; ${files} files loaded`);

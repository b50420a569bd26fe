/* Runs the browser engine (kb_tools/assets/kb-search.js and the parts it requires) under Node over a static index on disk.
 *
 * Used by `kb eval --engine static` and the ranking-agreement tests: the JavaScript that ships
 * to the browser is the code that is measured, not a Python imitation of it.
 *
 *   node static_runner.js INDEX_DIR
 *
 * Reads one JSON request per line on stdin ({"q": "...", "limit": 10, "status": null}) and
 * answers each with one JSON line: {"hits": [{title, article, url, status, score, snippet}], "total": N}
 * or {"error": "..."}.
 */
"use strict";

const fs = require("fs");
const path = require("path");
const readline = require("readline");
const KbSearch = require(path.join(__dirname, "..", "assets", "kb-search.js"));

const indexDir = process.argv[2];
const engine = new KbSearch.Engine((rel) => fs.promises.readFile(path.join(indexDir, rel), "utf8").then(JSON.parse));

let lastTotal = 0;

async function answer(request) {
  const result = await engine.search(request.q, { limit: request.limit || 10, status: request.status || null,
                                                 offset: request.offset || 0 });
  const docs = await engine.documents(result.hits.map((h) => h.doc));
  lastTotal = result.total;
  return docs.map((d, i) => ({
    title: d.group.title,
    article: d.label || null,
    url: d.url,
    status: d.group.status,
    score: result.hits[i].score,
    snippet: KbSearch.snippet(d.text, result.terms).map((p) => p[0]).join(""),
  }));
}

const lines = readline.createInterface({ input: process.stdin, crlfDelay: Infinity });
let queue = Promise.resolve();
lines.on("line", (line) => {
  if (!line.trim()) { return; }
  queue = queue.then(async () => {
    let out;
    try {
      out = { hits: await answer(JSON.parse(line)) };
      out.total = lastTotal;
    } catch (error) {
      out = { error: String(error && error.message || error) };
    }
    process.stdout.write(JSON.stringify(out) + "\n");
  });
});

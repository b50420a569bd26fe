/* Runs the browser engine (kb_tools/assets/kb-search.js) under Node over a static index on disk.
 *
 * Used by `kb eval --engine static` and the ranking-agreement tests: the JavaScript that ships
 * to the browser is the code that is measured, not a Python imitation of it.
 *
 *   node static_runner.js INDEX_DIR [LIMIT]  < queries.json  > results.json
 *
 * stdin: a JSON list of query strings; stdout: a JSON list (one per query) of result lists, each
 * result {title, article, url, status, score, snippet}.
 */
"use strict";

const fs = require("fs");
const path = require("path");
const KbSearch = require(path.join(__dirname, "..", "assets", "kb-search.js"));

const indexDir = process.argv[2];
const limit = parseInt(process.argv[3] || "10", 10);

function load(rel) {
  return fs.promises.readFile(path.join(indexDir, rel), "utf8").then(JSON.parse);
}

async function main() {
  const queries = JSON.parse(fs.readFileSync(0, "utf8"));
  const engine = new KbSearch.Engine(load);
  const out = [];
  for (const query of queries) {
    const result = await engine.search(query, { limit: limit });
    const docs = await engine.documents(result.hits.map((h) => h.doc));
    out.push(docs.map((d, i) => ({
      title: d.group.title,
      article: d.label || null,
      url: d.url,
      status: d.group.status,
      score: Number.isFinite(result.hits[i].score) ? result.hits[i].score : 1e9,
      snippet: KbSearch.snippet(d.text, result.terms).map((p) => p[0]).join(""),
    })));
  }
  process.stdout.write(JSON.stringify(out));
}

main().catch((error) => {
  process.stderr.write(String(error && error.stack || error) + "\n");
  process.exit(1);
});

// A cheap lint of every shipped script, offline: each parses (node --check), runs in strict mode,
// and the browser engine's parts load as the site loads them (plain scripts in the plugin's
// order, sharing one global object), not only through Node's require.
import { test } from "node:test";
import assert from "node:assert/strict";
import fs from "node:fs";
import vm from "node:vm";
import { execFileSync } from "node:child_process";

const assets = new URL("../../kb_tools/assets/", import.meta.url);
const scripts = fs.readdirSync(assets).filter((name) => name.endsWith(".js")).sort();

test("every asset script parses", () => {
  assert.ok(scripts.length >= 8, scripts.join(", "));
  for (const name of scripts) {
    // Throws (with the file, line and message) on a syntax error.
    execFileSync(process.execPath, ["--check", new URL(name, assets).pathname], { stdio: "pipe" });
  }
});

test("every asset script is strict", () => {
  for (const name of scripts) {
    const text = fs.readFileSync(new URL(name, assets), "utf8");
    assert.match(text, /^\s*"use strict";/m, `${name}: no "use strict"`);
  }
});

test("a syntax error is caught by the check", () => {
  const broken = new URL("broken-check.js", new URL(`file://${fs.mkdtempSync("/tmp/kb-js-")}/`));
  fs.writeFileSync(broken, "function (a { return a; }\n");
  assert.throws(() => execFileSync(process.execPath, ["--check", broken.pathname], { stdio: "pipe" }));
});

test("the engine's parts load as browser scripts, in the plugin's order", () => {
  const plugin = fs.readFileSync(new URL("../../kb_tools/site/plugin.py", import.meta.url), "utf8");
  const block = /SEARCH_SCRIPTS = \[([^\]]*)\]/.exec(plugin)[1];
  const order = Array.from(block.matchAll(/"assets\/kb\/([^"]+)"/g), (m) => m[1]);
  const engine = order.filter((name) => !/-(ui|page)\.js$/.test(name));
  assert.deepEqual(engine.slice(-1), ["kb-search.js"]);
  const window = {};
  window.self = window;
  const context = vm.createContext(window);
  for (const name of engine) {
    vm.runInContext(fs.readFileSync(new URL(name, assets), "utf8"), context, { filename: name });
  }
  assert.equal(typeof window.KbSearch.Engine, "function");
  assert.deepEqual(Object.keys(window.KbSearchParts).sort(), ["analyzer", "query", "ranking"]);
  assert.equal(window.KbSearch.cnToInt("一百零三"), 103);
  assert.equal(window.KbSearch.clean("  施工\u0000许可  ", 500), "施工许可");
});

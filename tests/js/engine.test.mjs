// Pure helpers of the browser engine: numerals (numerals.cn_to_int), query cleaning
// (query.clean) and snippets, which return text pieces, never HTML.
import { test } from "node:test";
import assert from "node:assert/strict";
import { createRequire } from "node:module";

const require = createRequire(import.meta.url);
const KbSearch = require("../../kb_tools/assets/kb-search.js");

test("Chinese and Arabic numerals as numerals.cn_to_int reads them", () => {
  const cases = { "八": 8, "十": 10, "十二": 12, "六十四": 64, "一百零三": 103, "一百一十四": 114,
    "二〇一九": 2019, "64": 64, "两千": 2000, "三万": 30000, "一万二千": 12000 };
  for (const [text, value] of Object.entries(cases)) { assert.equal(KbSearch.cnToInt(text), value, text); }
  assert.ok(Number.isNaN(KbSearch.cnToInt("条")));
  assert.ok(Number.isNaN(KbSearch.cnToInt("")));
});

test("queries are cleaned: control characters dropped, whitespace collapsed, length capped", () => {
  assert.equal(KbSearch.clean("  违法\u0000建设\t罚款  ", 500), "违法建设 罚款");
  assert.equal(Array.from(KbSearch.clean("法".repeat(2000), 500)).length, 500);
});

test("snippets are plain text pieces around the matches", () => {
  const pieces = KbSearch.snippet("申请领取施工许可证，应当具备<script>下列条件", [{ text: "施工许可证" }, { text: "条件" }], 120);
  assert.deepEqual(pieces, [["申请领取", false], ["施工许可证", true], ["，应当具备<script>下列", false], ["条件", true]]);
  const long = "甲".repeat(300) + "施工许可证" + "乙".repeat(300);
  const cut = KbSearch.snippet(long, [{ text: "施工许可证" }], 120);
  assert.equal(cut[0][0], "…");
  assert.ok(cut.some((p) => p[1] && p[0] === "施工许可证"));
  assert.equal(cut[cut.length - 1][0], "…");
});

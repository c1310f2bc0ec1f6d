/** Regenerates fixtures/*.json from the detector; review the diff before committing. Run: bun tests/prompts/write-expected.ts */
import { existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { builtinPromptRules } from "../../src/prompts/builtin-rules";
import { detectPrompt } from "../../src/prompts/detect";

const dir = join(import.meta.dir, "fixtures");
for (const f of readdirSync(dir).filter((f) => f.endsWith(".txt"))) {
  // The agent is the plugin name kept in the existing .json (qwen-code, terminal…), else the file's prefix.
  const json = join(dir, f.replace(/\.txt$/, ".json"));
  const agent: string = existsSync(json) ? JSON.parse(readFileSync(json, "utf8")).agent : (f.split("-")[0] as string);
  const p = detectPrompt(readFileSync(join(dir, f), "utf8").split("\n"), builtinPromptRules[agent], agent);
  const expected = p && { kind: p.kind, question: p.question, options: p.options, multi: p.multi, answer: p.answer };
  writeFileSync(json, `${JSON.stringify({ agent, prompt: expected }, null, 2)}\n`);
}

/**
 * Time from a dialog's last byte to the tracker's onPrompt, over the captured Claude Code dialogs,
 * while other sessions stream output through the same screen worker.
 *   bun bench/prompt-latency.ts [--runs 200] [--busy 8]
 */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { builtinPromptRules } from "../src/prompts/builtin-rules";
import { type Prompt, PromptTracker } from "../src/prompts/tracker";
import { ScreenModel, sharedScreenHost } from "../src/screen/index";
import { realisticOutput } from "./screen-output";

const arg = (name: string, def: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : def;
};
const runs = arg("runs", 200);
const busy = arg("busy", 8);
const enc = new TextEncoder();
const dir = join(import.meta.dir, "../tests/prompts/fixtures");
const dialogs = readdirSync(dir)
  .filter(
    (f) =>
      f.startsWith("claude-") &&
      f.endsWith(".txt") &&
      JSON.parse(readFileSync(join(dir, f.replace(".txt", ".json")), "utf8")).prompt,
  )
  .map((f) => enc.encode(`\x1b[H\x1b[2J${readFileSync(join(dir, f), "utf8").trimEnd().split("\n").join("\r\n")}`));

// Busy sessions: ~250 KB/s each of realistic output.
const noise = realisticOutput(4 << 20);
const others = Array.from({ length: busy }, () => ({ screen: new ScreenModel(120, 40), at: 0 }));
const ticker = setInterval(() => {
  for (const o of others) {
    const from = o.at % (noise.length - 8192);
    o.at += 5000;
    o.screen.write(noise.subarray(from, from + 5000), o.at);
  }
}, 20);

const screen = new ScreenModel(120, 40);
let at = 0;
const write = (bytes: Uint8Array) => {
  at += bytes.length;
  screen.write(bytes, at);
};
const tracker = new PromptTracker({ sessionId: "bench", agent: "claude", rules: builtinPromptRules.claude, screen });
let lastByte = 0;
let resolvePrompt: ((p: Prompt) => void) | null = null;
let resolveCleared: (() => void) | null = null;
tracker.onPrompt((p) => resolvePrompt?.(p));
tracker.onCleared(() => resolveCleared?.());

const latencies: number[] = [];
for (let i = 0; i < runs; i++) {
  const dialog = dialogs[i % dialogs.length] as Uint8Array;
  // Some transcript first, then the dialog drawn in three chunks.
  write(noise.subarray((i * 3000) % (noise.length - 3000), ((i * 3000) % (noise.length - 3000)) + 3000));
  await Bun.sleep(10);
  const prompted = new Promise<Prompt>((r) => (resolvePrompt = r));
  const third = Math.ceil(dialog.length / 3);
  for (let c = 0; c < 3; c++) {
    write(dialog.subarray(c * third, (c + 1) * third));
    lastByte = performance.now();
    if (c < 2) await Bun.sleep(2);
  }
  await prompted;
  latencies.push(performance.now() - lastByte);
  const cleared = new Promise<void>((r) => (resolveCleared = r));
  write(enc.encode("\x1b[H\x1b[2J● Done.\r\n"));
  await cleared;
}
clearInterval(ticker);
latencies.sort((a, b) => a - b);
const pct = (p: number) =>
  (latencies[Math.min(latencies.length - 1, Math.floor((p / 100) * latencies.length))] as number).toFixed(1);
console.log(
  `prompt-latency runs=${runs} busy_sessions=${busy} dialogs=${dialogs.length} p50=${pct(50)}ms p90=${pct(90)}ms p99=${pct(99)}ms max=${pct(100)}ms`,
);
tracker.dispose();
sharedScreenHost().terminate();
process.exit(0);

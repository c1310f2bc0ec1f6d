import { mkdirSync, mkdtempSync, readFileSync, realpathSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { TestServer } from "../harness";
import { AgentScreen } from "../plugins/screen";

/** A project folder of its own (realpath: agents report cwd resolved). */
export const newProject = () => realpathSync(mkdtempSync(join(tmpdir(), "llm-project-")));

/** Claude Code past onboarding in the test HOME; its trust dialog still appears. */
export function claudeOnboarded(home = process.env.HOME as string) {
  mkdirSync(home, { recursive: true });
  writeFileSync(join(home, ".claude.json"), JSON.stringify({ hasCompletedOnboarding: true }));
}

/** The environment of a process, as the kernel holds it. */
export function environOf(pid: number): Record<string, string> {
  const raw = readFileSync(`/proc/${pid}/environ`, "utf8");
  return Object.fromEntries(
    raw
      .split("\0")
      .filter(Boolean)
      .map((kv) => [kv.slice(0, kv.indexOf("=")), kv.slice(kv.indexOf("=") + 1)]),
  );
}

/** Every descendant pid of `pid` (the agent and whatever it started). */
export function treeOf(pid: number): number[] {
  const out = [pid];
  try {
    const kids = readFileSync(`/proc/${pid}/task/${pid}/children`, "utf8").trim().split(/\s+/).filter(Boolean);
    for (const k of kids) out.push(...treeOf(Number(k)));
  } catch {}
  return out;
}

export async function addEndpoint(server: TestServer, json: Record<string, unknown>): Promise<string> {
  const r = await server.api("/api/llm-providers", { method: "POST", json });
  if (r.status !== 201) throw new Error(`endpoint: ${r.status} ${JSON.stringify(r.body)}`);
  return r.body.id as string;
}

export async function launchRouted(server: TestServer, json: Record<string, unknown>) {
  const r = await server.api("/api/sessions", { method: "POST", json: { cols: 120, rows: 40, ...json } });
  if (r.status !== 201) throw new Error(`launch: ${r.status} ${JSON.stringify(r.body)}`);
  const screen = new AgentScreen(server.url, r.body.id, server.token);
  await screen.opened();
  return { id: r.body.id as string, pid: r.body.pid as number, screen };
}

/** Claude Code's prompt, past its trust dialog. */
export async function claudeReady(screen: AgentScreen) {
  const first = await screen.waitFor(
    (s) => s.includes("trust this folder") || s.includes("for shortcuts"),
    "Claude Code to start",
  );
  if (first.includes("trust this folder")) {
    screen.type("\r");
    await screen.waitForText("for shortcuts");
  }
}

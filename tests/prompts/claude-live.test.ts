import { expect, test } from "bun:test";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { builtinPromptRules } from "../../src/prompts/builtin-rules.ts";
import { type Prompt, PromptTracker } from "../../src/prompts/tracker.ts";
import { AgentPty, claudeHome } from "./agent-pty.ts";
import { startAnthropicStub } from "./anthropic-stub.ts";

// Real Claude Code, offline against the local stub: trust the folder, then approve a Write.
test("Claude Code's trust and Write permission dialogs are detected, answered with the tracker's keys, and clear", async () => {
  let project = "";
  const stub = startAnthropicStub((_user, toolResults) =>
    toolResults === 0 ? { tool: { name: "Write", input: { file_path: join(project, "hello.txt"), content: "hello from the stub\n" } } } : { text: "Created hello.txt." },
  );
  const home = claudeHome(stub.url);
  project = home.project;
  const agent = new AgentPty(["claude", "create hello.txt"], { cwd: project, env: home.env });
  const tracker = new PromptTracker({ sessionId: "live", agent: "claude", rules: builtinPromptRules.claude, screen: agent.screen, write: (k) => agent.write(k) });
  const latencyMs = new Map<string, number>();
  tracker.onPrompt((prompt) => latencyMs.set(prompt.id, performance.now() - agent.lastByteAt));
  const promptOfKind = (kind: string, ms: number) =>
    new Promise<Prompt>((resolve, reject) => {
      const open = tracker.current();
      if (open?.kind === kind) return resolve(open);
      const timer = setTimeout(async () => {
        off();
        reject(new Error(`no ${kind} prompt; screen:\n${(await agent.lines()).join("\n")}`));
      }, ms);
      const off = tracker.onPrompt((p) => {
        if (p.kind !== kind) return;
        clearTimeout(timer);
        off();
        resolve(p);
      });
    });
  try {
    const trust = await promptOfKind("trust", 30000);
    expect(trust.kind).toBe("trust");
    expect(trust.options[0]).toEqual({ key: "1", label: "Yes, I trust this folder" });
    const afterTrust = await tracker.answerAndWait(trust.id, ["1"], 10000);
    expect(afterTrust.bytes).toBe("1");
    expect(afterTrust.outcome).not.toBe("timeout");

    const permission = await promptOfKind("permission", 30000);
    expect(permission).toMatchObject({ kind: "permission", question: "Do you want to create hello.txt?", multi: false });
    expect(permission.options.map((o) => o.key)).toEqual(["1", "2", "3"]);
    // Detected within 1 s of the last byte the agent printed before it.
    expect(latencyMs.get(permission.id)).toBeLessThan(1000);

    const done = await tracker.answerAndWait(permission.id, ["1"], 10000);
    expect(done.bytes).toBe("1");
    expect(done.outcome).toBe("cleared");
    await agent.waitForScreen((s) => s.includes("Created hello.txt."), 20000, "the reply after the write");
    expect(existsSync(join(project, "hello.txt"))).toBe(true);
    expect(readFileSync(join(project, "hello.txt"), "utf8")).toBe("hello from the stub\n");
    expect(tracker.current()).toBeNull();
  } finally {
    tracker.dispose();
    await agent.stop();
    stub.stop();
  }
}, 90000);

import { expect, test } from "bun:test";
import { existsSync } from "node:fs";
import { join } from "node:path";
import type { Prompt } from "../../src/prompts/tracker";
import { startGeminiModel } from "../stubs/model-gemini";
import { AgentPty, geminiHome } from "./agent-pty";

// Real Gemini CLI, offline against the Gemini API stub: its shell approval is answered with arrows.
test("Gemini CLI's shell approval is detected, 'allow for this session' is chosen, and the command runs", async () => {
  const stub = startGeminiModel(({ toolResults }) =>
    toolResults === 0
      ? { tool: { name: "run_shell_command", input: { command: "touch hello.txt", description: "Create hello.txt" } } }
      : { text: "Created hello.txt." },
  );
  const h = geminiHome(stub.url, { trusted: true });
  const agent = new AgentPty(h.argv, { cwd: h.project, env: h.env });
  const tracker = agent.track("gemini");
  try {
    const appeared = new Promise<Prompt>((resolve) => tracker.onPrompt((p) => p.kind === "approval" && resolve(p)));
    await agent.waitForScreen((s) => s.includes("Type your message"), 30000, "gemini's input box");
    await agent.submit("create hello.txt", () => stub.log.requests.some((r) => !r.path.endsWith(":countTokens")));
    const p = await agent.within(appeared, 20000);
    expect(p).toMatchObject({ agent: "gemini", kind: "approval", question: "Allow execution of [Shell]?" });
    expect(p.options.map((o) => o.label)).toEqual([
      "Allow once",
      "Allow for this session",
      "No, suggest changes (esc)",
    ]);
    const done = await tracker.answerAndWait(p.id, ["2"], 10000);
    expect(done.keystrokes).toEqual(["\x1b[B", "\r"]);
    expect(done.outcome).not.toBe("timeout");
    await agent.waitForScreen((s) => s.includes("Created hello.txt."), 20000, "the reply after the command");
    expect(existsSync(join(h.project, "hello.txt"))).toBe(true);
  } finally {
    tracker.dispose();
    await agent.stop();
    stub.stop();
  }
}, 40000);

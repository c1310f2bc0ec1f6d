import { expect, test } from "bun:test";
import { existsSync } from "node:fs";
import { join } from "node:path";
import type { Prompt } from "../../src/prompts/tracker";
import { killProgramsUnder } from "../harness";
import { startOpenAIModel } from "../stubs/model-openai";
import { AgentPty, codexHome } from "./agent-pty";

// Real Codex, offline against the stub's Responses API: a command that needs approval runs once approved.
test("Codex's command approval is detected, approved through the tracker, and the command runs", async () => {
  const stub = startOpenAIModel(({ toolResults }) =>
    toolResults === 0
      ? {
          tool: {
            name: "exec_command",
            input: {
              cmd: "touch hello.txt",
              sandbox_permissions: "require_escalated",
              justification: "Create hello.txt",
            },
          },
        }
      : { text: "Created hello.txt." },
  );
  const h = codexHome(stub.url);
  const agent = new AgentPty(h.argv, { cwd: h.project, env: h.env });
  const tracker = agent.track("codex");
  try {
    const appeared = new Promise<Prompt>((resolve) => tracker.onPrompt((p) => p.kind === "approval" && resolve(p)));
    await agent.waitForScreen((s) => s.includes("Ask Codex"), 30000, "codex's input box");
    await agent.submit("create hello.txt", () => stub.log.requests.length > 0);
    const p = await agent.within(appeared, 20000);
    expect(p).toMatchObject({
      agent: "codex",
      kind: "approval",
      question: "Would you like to run the following command?",
    });
    expect(p.options[0]).toEqual({ key: "1", label: "Yes, proceed (y)" });
    const done = await tracker.answerAndWait(p.id, ["1"], 10000);
    expect(done.bytes).toBe("\r");
    expect(done.outcome).not.toBe("timeout");
    await agent.waitForScreen((s) => s.includes("Created hello.txt."), 20000, "the reply after the command");
    expect(existsSync(join(h.project, "hello.txt"))).toBe(true);
  } finally {
    tracker.dispose();
    await agent.stop();
    killProgramsUnder(h.root);
    stub.stop();
  }
}, 40000);

import { expect, test } from "bun:test";
import { existsSync } from "node:fs";
import { join } from "node:path";
import type { Prompt } from "../../src/prompts/tracker";
import { startOpenAIModel } from "../stubs/model-openai";
import { AgentPty, qwenHome } from "./agent-pty";

// Real Qwen Code, offline against the OpenAI-compatible stub: its approval menu is answered with arrows.
test("Qwen Code's write approval is detected and 'allow always' is chosen with arrow keys", async () => {
  let project = "";
  const stub = startOpenAIModel(({ toolResults }) =>
    toolResults === 0
      ? { tool: { name: "write_file", input: { file_path: join(project, "hello.txt"), content: "hello\n" } } }
      : { text: "Wrote the file." },
  );
  const h = qwenHome(stub.url);
  project = h.project;
  const agent = new AgentPty(h.argv, { cwd: project, env: h.env });
  const tracker = agent.track("qwen-code");
  try {
    const appeared = new Promise<Prompt>((resolve) => tracker.onPrompt(resolve));
    await agent.waitForScreen((s) => s.includes("Type your message"), 30000, "qwen's input box");
    await agent.submit("write hello.txt", () => stub.log.requests.length > 0);
    const p = await agent.within(appeared, 20000);
    expect(p).toMatchObject({ agent: "qwen-code", kind: "approval", question: "Apply this change?" });
    expect(p.options.map((o) => o.label)).toEqual([
      "Yes, allow once",
      "Yes, allow always",
      "No, suggest changes (esc)",
    ]);
    const done = await tracker.answerAndWait(p.id, ["2"], 10000);
    expect(done.bytes).toBe("\x1b[B\r");
    expect(done.outcome).toBe("cleared");
    await agent.waitForScreen((s) => s.includes("Wrote the file."), 20000, "the reply after the write");
    expect(existsSync(join(project, "hello.txt"))).toBe(true);
  } finally {
    tracker.dispose();
    await agent.stop();
    stub.stop();
  }
}, 40000);

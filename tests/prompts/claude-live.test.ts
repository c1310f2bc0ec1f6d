import { expect, test } from "bun:test";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { Elysia } from "elysia";
import type { AuthService } from "../../src/auth";
import { notFound } from "../../src/errors";
import { errorResponse } from "../../src/http";
import { createPromptRoutes } from "../../src/prompts/routes";
import type { Prompt, PromptTracker } from "../../src/prompts/tracker";
import { startAnthropicModel } from "../stubs/model-anthropic";
import { AgentPty, claudeHome } from "./agent-pty";

const LIVE = "0f1e2d3c-4b5a-4697-8877-665544332211";

// The prompt API in process, over this test's tracker as session LIVE (auth: any "Bearer t").
function promptApi(tracker: PromptTracker) {
  const auth = { verify: (token: string) => (token === "t" ? { sub: "admin" } : null) } as unknown as AuthService;
  const app = new Elysia()
    .onError(({ code, error, request }) => errorResponse(code, error, request))
    .use(
      createPromptRoutes({
        tracker: (id) => {
          if (id !== LIVE) throw notFound("session");
          return tracker;
        },
        auth,
      }),
    );
  return async (method: string, path: string, body?: unknown) => {
    const init: RequestInit = { method, headers: { authorization: "Bearer t", "content-type": "application/json" } };
    if (body !== undefined) init.body = JSON.stringify(body);
    const res = await app.handle(new Request(`http://local${path}`, init));
    return { status: res.status, json: await res.json() };
  };
}

// Real Claude Code, offline against the local stub: trust the folder, then approve a Write through the API.
test("Claude Code's trust and Write permission dialogs are detected, answered through the API, and clear", async () => {
  let project = "";
  const stub = startAnthropicModel(({ toolResults }) =>
    toolResults === 0
      ? { tool: { name: "Write", input: { file_path: join(project, "hello.txt"), content: "hello from the stub\n" } } }
      : { text: "Created hello.txt." },
  );
  const home = claudeHome(stub.url);
  project = home.project;
  const agent = new AgentPty(["claude", "create hello.txt"], { cwd: project, env: home.env });
  const tracker = agent.track("claude", "live");
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
    expect(permission).toMatchObject({
      kind: "permission",
      question: "Do you want to create hello.txt?",
      multi: false,
    });
    expect(permission.options.map((o) => o.key)).toEqual(["1", "2", "3"]);
    // Detected within 1 s of the last byte the agent printed before it.
    expect(latencyMs.get(permission.id)).toBeLessThan(1000);

    const api = promptApi(tracker);
    expect((await api("GET", `/api/sessions/${LIVE}/prompt`)).json).toEqual(permission);
    expect(
      (await api("POST", `/api/sessions/${LIVE}/prompt/answer`, { promptId: permission.id, keys: ["9"] })).status,
    ).toBe(422);
    const done = await api("POST", `/api/sessions/${LIVE}/prompt/answer`, { promptId: permission.id, keys: ["1"] });
    expect(done).toEqual({ status: 200, json: { sent: "1", outcome: "cleared", prompt: null } });
    expect(
      (await api("POST", `/api/sessions/${LIVE}/prompt/answer`, { promptId: permission.id, keys: ["1"] })).status,
    ).toBe(409);
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

test("Claude Code's multi-select question is answered with two picks, then its review step, and the agent gets both", async () => {
  const question = {
    question: "Which checks should run before each commit?",
    header: "Checks",
    multiSelect: true,
    options: [
      { label: "Lint", description: "Biome" },
      { label: "Typecheck", description: "tsc" },
      { label: "Unit tests", description: "bun test" },
    ],
  };
  const stub = startAnthropicModel(({ toolResults }) =>
    toolResults === 0
      ? { tool: { name: "AskUserQuestion", input: { questions: [question] } } }
      : { text: "Got your picks." },
  );
  const home = claudeHome(stub.url, { trusted: true });
  const agent = new AgentPty(["claude", "set up commit checks"], { cwd: home.project, env: home.env });
  const tracker = agent.track("claude", "multi");
  try {
    const appeared = new Promise<Prompt>((resolve) => tracker.onPrompt(resolve));
    const p = await agent.within(appeared, 30000, "multi-select prompt");
    expect(p).toMatchObject({ kind: "question", question: question.question, multi: true });
    expect(p.options.map((o) => [o.key, o.label, o.checked])).toEqual([
      ["1", "Lint", false],
      ["2", "Typecheck", false],
      ["3", "Unit tests", false],
    ]);
    const picked = await tracker.answerAndWait(p.id, ["1", "3"], 10000);
    expect(picked.keystrokes).toEqual([" ", "\x1b[B", "\x1b[B", " ", "\x1b[B", "\x1b[B", "\r"]);
    expect(picked.outcome).toBe("changed");
    expect(picked.prompt).toMatchObject({
      question: "Ready to submit your answers?",
      options: [
        { key: "1", label: "Submit answers" },
        { key: "2", label: "Cancel" },
      ],
    });
    const submitted = await tracker.answerAndWait(picked.prompt?.id ?? "", ["1"], 10000);
    expect(submitted.outcome).toBe("cleared");
    const screen = await agent.waitForScreen((s) => s.includes("Got your picks."), 20000, "the reply after the answer");
    expect(screen.join("\n")).toContain("→ Lint, Unit tests");
  } finally {
    tracker.dispose();
    await agent.stop();
    stub.stop();
  }
}, 60000);

/**
 * Captures dialog screens from the real Claude Code (offline, against the local stub) into
 * tests/prompts/fixtures/. Run: bun tests/prompts/capture.ts
 */
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startAnthropicModel } from "../stubs/model-anthropic";
import type { ModelReply } from "../stubs/model-common";
import { startGeminiModel } from "../stubs/model-gemini";
import { startOpenAIModel } from "../stubs/model-openai";
import { AgentPty, claudeHome, codexHome, geminiHome, qwenHome } from "./agent-pty";

const dir = join(import.meta.dir, "fixtures");
const save = (name: string, lines: string[]) => {
  writeFileSync(
    join(dir, `${name}.txt`),
    `${lines
      .map((l) => l.trimEnd())
      .join("\n")
      .trimEnd()}\n`,
  );
  console.log(`captured ${name}`);
};

async function scenario(
  name: string,
  steps: (ModelReply | ((project: string) => ModelReply))[],
  run: (a: AgentPty, project: string) => Promise<void>,
  setup?: (project: string) => void,
) {
  let project = "";
  const stub = startAnthropicModel(({ toolResults }) => {
    const s = steps[Math.min(toolResults, steps.length - 1)] ?? { text: "Done." };
    return typeof s === "function" ? s(project) : s;
  });
  const h = claudeHome(stub.url, { trusted: name !== "trust" });
  project = h.project;
  setup?.(project);
  const a = new AgentPty(["claude", `run scenario ${name}`], { cwd: h.project, env: h.env });
  try {
    await run(a, h.project);
  } finally {
    await a.stop();
    stub.stop();
  }
}

const has = (s: string) => (t: string) => t.includes(s);

await scenario("trust", [{ text: "Done." }], async (a) => {
  save("claude-trust", await a.waitForScreen(has("trust this folder"), 20000, "trust dialog"));
});

await scenario(
  "write",
  [
    (p) => ({ tool: { name: "Write", input: { file_path: `${p}/hello.txt`, content: "hello\n" } } }),
    { text: "Created hello.txt." },
  ],
  async (a) => {
    save("claude-write", await a.waitForScreen(has("Do you want to create"), 20000, "write permission"));
    a.write("1");
    save("claude-after-answer", await a.waitForScreen(has("Created hello.txt."), 20000, "reply after answer"));
  },
);

await scenario(
  "bash",
  [
    {
      tool: {
        name: "Bash",
        input: { command: "curl -s https://example.com | head -n 5", description: "Fetch example.com" },
      },
    },
    { text: "Done." },
  ],
  async (a) => {
    save("claude-bash", await a.waitForScreen(has("Do you want to proceed"), 20000, "bash permission"));
  },
);

await scenario(
  "edit",
  [
    (p) => ({ tool: { name: "Read", input: { file_path: `${p}/notes.txt` } } }),
    (p) => ({
      tool: { name: "Edit", input: { file_path: `${p}/notes.txt`, old_string: "draft", new_string: "final" } },
    }),
    { text: "Done." },
  ],
  async (a) => {
    save("claude-edit", await a.waitForScreen(has("Do you want to make this edit"), 20000, "edit permission"));
  },
  (p) => writeFileSync(join(p, "notes.txt"), "status: draft\n"),
);

const question = (multiSelect: boolean): ModelReply => ({
  tool: {
    name: "AskUserQuestion",
    input: {
      questions: [
        {
          question: multiSelect ? "Which checks should run before each commit?" : "Which database should the app use?",
          header: multiSelect ? "Checks" : "Database",
          multiSelect,
          options: multiSelect
            ? [
                { label: "Lint", description: "Biome over the changed files" },
                { label: "Typecheck", description: "tsc --noEmit" },
                { label: "Unit tests", description: "bun test" },
              ]
            : [
                { label: "PostgreSQL", description: "A real server" },
                { label: "SQLite", description: "A file" },
              ],
        },
      ],
    },
  },
});

await scenario("ask-single", [question(false), { text: "Done." }], async (a) => {
  save("claude-ask-single", await a.waitForScreen(has("Which database"), 20000, "single-select question"));
});

await scenario("ask-multi", [question(true), { text: "Done." }], async (a) => {
  save("claude-ask-multi", await a.waitForScreen(has("Which checks"), 20000, "multi-select question"));
  a.write(" ");
  await Bun.sleep(300);
  a.write("\x1b[B");
  await Bun.sleep(300);
  save("claude-ask-multi-toggled", await a.lines());
});
async function openAIScenario(name: string, step: (project: string) => ModelReply, until: string) {
  let project = "";
  const stub = startOpenAIModel(({ toolResults }) => (toolResults === 0 ? step(project) : { text: "Done." }));
  const h = name.startsWith("codex") ? codexHome(stub.url) : qwenHome(stub.url);
  project = h.project;
  const a = new AgentPty(h.argv, { cwd: h.project, env: h.env });
  try {
    await a.waitForScreen((t) => t.includes("Type your message") || t.includes("Ask Codex"), 30000, "input box");
    a.write("run the scenario");
    await Bun.sleep(200);
    a.write("\r");
    save(name, await a.waitForScreen(has(until), 30000, name));
  } finally {
    await a.stop();
    stub.stop();
  }
}

await openAIScenario(
  "qwen-shell",
  () => ({
    tool: {
      name: "run_shell_command",
      input: { command: "curl -s https://example.com | head -n 5", description: "Fetch example.com" },
    },
  }),
  "Allow execution of",
);
await openAIScenario(
  "qwen-write",
  (p) => ({ tool: { name: "write_file", input: { file_path: join(p, "hello.txt"), content: "hello\n" } } }),
  "Apply this change?",
);
await openAIScenario(
  "codex-exec",
  () => ({
    tool: {
      name: "exec_command",
      input: {
        cmd: "touch hello.txt",
        sandbox_permissions: "require_escalated",
        justification: "Create hello.txt in the project",
      },
    },
  }),
  "Would you like to run",
);
{
  const h = geminiHome("http://127.0.0.1:9");
  const a = new AgentPty(h.argv, { cwd: h.project, env: h.env });
  try {
    save("gemini-trust", await a.waitForScreen(has("3. Don"), 30000, "gemini trust dialog"));
  } finally {
    await a.stop();
  }
}

{
  const h = codexHome("http://127.0.0.1:9");
  Bun.spawnSync(["git", "init", "-q"], { cwd: h.project });
  const a = new AgentPty(["codex"], { cwd: h.project, env: h.env });
  try {
    save("codex-trust", await a.waitForScreen(has("Trust and continue"), 30000, "codex trust screen"));
  } finally {
    await a.stop();
  }
}

{
  const stub = startGeminiModel(({ toolResults }) =>
    toolResults === 0
      ? { tool: { name: "run_shell_command", input: { command: "touch hello.txt", description: "Create hello.txt" } } }
      : { text: "Done." },
  );
  const h = geminiHome(stub.url, { trusted: true });
  const a = new AgentPty(h.argv, { cwd: h.project, env: h.env });
  try {
    await a.waitForScreen(has("Type your message"), 30000, "gemini input");
    a.write("run the scenario");
    await Bun.sleep(200);
    a.write("\r");
    save("gemini-shell", await a.waitForScreen(has("Allow execution of"), 30000, "gemini shell approval"));
  } finally {
    await a.stop();
    stub.stop();
  }
}

// A plain shell: lists that are not questions, and a real confirmation.
async function shellScenario(name: string, command: string, until: string) {
  const dir = mkdtempSync(join(tmpdir(), "opendray-shell-"));
  const git = (...args: string[]) =>
    Bun.spawnSync(["git", "-c", "user.name=Ada", "-c", "user.email=ada@example.com", ...args], { cwd: dir });
  git("init", "-q");
  for (const msg of ["feat: tokenizer", "fix: parser handles CRLF", "docs: usage", "chore: bump deps"]) {
    writeFileSync(join(dir, "log.txt"), msg);
    git("add", ".");
    git("commit", "-qm", msg);
  }
  writeFileSync(join(dir, "old.txt"), "");
  const a = new AgentPty(["bash", "--norc", "--noprofile", "-i"], { cwd: dir, env: { HOME: dir, PS1: "$ " } });
  try {
    await a.waitForScreen((t) => t.includes("$"), 10000, "shell prompt");
    a.write(`${command}\r`);
    save(name, await a.waitForScreen(has(until), 10000, name));
  } finally {
    await a.stop();
  }
}

await shellScenario("shell-git-log", "git --no-pager log --format='%h %s' | nl -w1 -s'. '", "1. ");
await shellScenario(
  "shell-numbered-files",
  "printf 'The following files were modified:\\n1. src/a.ts\\n2. src/b.ts\\n3. README.md\\n'",
  "3. README.md",
);
await shellScenario("shell-rm-confirm", "rm -i old.txt", "remove regular empty file");
process.exit(0);

import { afterAll, expect, test } from "bun:test";
import { mkdirSync, symlinkSync, utimesSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { createDocsRoutes } from "../../src/docs";
import { notFound } from "../../src/errors";
import { appWith, auth, cleanup, registry, tempDir } from "../files/app";

afterAll(cleanup);
const SID = "11111111-1111-4111-8111-111111111111";
const root = tempDir("opendray-docs-");
for (const d of ["docs/img", "node_modules/pkg", "src"]) mkdirSync(join(root, d), { recursive: true });
const old = new Date(Date.now() - 3600_000);
const files: Record<string, string> = {
  "README.md": "# The project\n\nSee [the guide](docs/guide.md).\n",
  "AGENTS.md": "# Agent rules\n",
  "docs/guide.md": [
    "# Guide",
    "",
    "| col | n |",
    "|-----|--:|",
    "| a   | 1 |",
    "",
    "- [x] shipped",
    "- [ ] next",
    "",
    "```ts",
    "const answer: number = 42;",
    "```",
    "",
    "![diagram](img/flow.png) [back](../README.md) [escape](../../../etc/passwd) [bad](javascript:alert(1))",
    "",
    "<script>alert('x')</script><img src=x onerror=alert(1)>",
  ].join("\n"),
  "node_modules/pkg/README.md": "# dependency\n",
  "src/notes.txt": "not markdown\n",
};
for (const [p, text] of Object.entries(files)) {
  writeFileSync(join(root, p), text);
  utimesSync(join(root, p), old, old);
}
symlinkSync("/etc", join(root, "etc"));
const sessionStart = new Date(Date.now() - 60_000);
const sessions = {
  async diffInfo(id: string) {
    if (id !== SID) throw notFound("session");
    return { cwd: root };
  },
  async get(id: string) {
    if (id !== SID) throw notFound("session");
    return { startedAt: sessionStart.toISOString(), createdAt: sessionStart.toISOString() };
  },
};
const reg = registry();
const { call } = appWith(createDocsRoutes({ auth, registry: reg, sessions }));

test("docs are listed with the ones changed in this session first, then README, agent files, docs/", async () => {
  writeFileSync(join(root, "PLAN.md"), "# Plan the agent wrote\n");
  const r = await call("GET", `/api/docs?sessionId=${SID}`);
  expect(r.status).toBe(200);
  expect(r.body.docs.map((d: { path: string; changed: boolean }) => [d.path, d.changed])).toEqual([
    ["PLAN.md", true],
    ["README.md", false],
    ["AGENTS.md", false],
    ["docs/guide.md", false],
  ]);
  expect(r.body.docs[0].title).toBe("Plan the agent wrote");
});

test("a document renders GFM tables, task lists and highlighted code, with raw HTML shown as text", async () => {
  const r = await call("GET", `/api/docs/render?sessionId=${SID}&path=docs/guide.md`);
  expect(r.status).toBe(200);
  const html: string = r.body.html;
  expect(r.body.title).toBe("Guide");
  expect(html).toContain("<table>");
  expect(html).toContain('<th align="right">n</th>');
  expect(html).toContain('<input checked disabled type="checkbox" /> shipped');
  expect(html).toContain('<span class="hljs-keyword">const</span>');
  expect(html).not.toContain("<script");
  expect(html).not.toMatch(/<img[^>]*onerror/);
  expect(html).toContain("&lt;script&gt;");
  expect(html).toContain(`src="/api/files/raw?sessionId=${SID}&amp;path=docs%2Fimg%2Fflow.png"`);
  expect(html).toContain('data-path="README.md"');
  expect(html).not.toContain("etc");
  expect(html).not.toContain("javascript:");
});

test("only Markdown inside the root is rendered; a disabled reader answers 404", async () => {
  expect((await call("GET", `/api/docs/render?sessionId=${SID}&path=src/notes.txt`)).status).toBe(422);
  expect((await call("GET", `/api/docs/render?sessionId=${SID}&path=../x.md`)).status).toBe(422);
  expect((await call("GET", `/api/docs/render?sessionId=${SID}&path=etc/x.md`)).status).toBe(403);
  await reg.setEnabled("docs", false);
  expect((await call("GET", `/api/docs?sessionId=${SID}`)).status).toBe(404);
  await reg.setEnabled("docs", true);
});

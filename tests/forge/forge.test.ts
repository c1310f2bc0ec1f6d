import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Elysia } from "elysia";
import type { AuthService } from "../../src/auth";
import { AppError } from "../../src/errors";
import { createForgeRoutes } from "../../src/forge";
import { errorResponse } from "../../src/http";
import { PluginRegistry } from "../../src/plugins";
import { builtinManifests } from "../../src/plugins/builtin";
import type { ForgeStub } from "../stubs/forge-common";
import { startGiteaStub } from "../stubs/forge-gitea";
import { startGithubStub } from "../stubs/forge-github";
import { startGitlabStub } from "../stubs/forge-gitlab";

const registry = new PluginRegistry({ builtins: builtinManifests, dirs: [], watch: false });
const auth = { verify: (t: string) => (t === "t" ? { sub: "admin" } : null) } as unknown as AuthService;
const cwds = new Map<string, string>();
const dirs: string[] = [];
const stubs: ForgeStub[] = [];
const app = new Elysia()
  .onError(({ code, error, request }) => errorResponse(code, error, request))
  .use(
    createForgeRoutes({
      auth,
      registry,
      sessions: {
        async get(id) {
          const cwd = cwds.get(id);
          if (!cwd) throw new AppError("not_found", "session not found");
          return { cwd };
        },
      },
      ghToken: async (host) => (host.startsWith("127.0.0.1") ? "gh-cli-token" : null),
    }),
  );

async function get(path: string) {
  const res = await app.handle(new Request(`http://local${path}`, { headers: { authorization: "Bearer t" } }));
  const text = await res.text();
  let body: any = text;
  try {
    body = JSON.parse(text);
  } catch {}
  return { status: res.status, body };
}

function sh(cwd: string, ...args: string[]) {
  const r = Bun.spawnSync(["git", ...args], { cwd, stdout: "pipe", stderr: "pipe" });
  if (r.exitCode !== 0) throw new Error(`git ${args.join(" ")}: ${r.stderr}`);
}

/** A checkout on branch feature/login whose origin is `remote`, as a session's cwd. */
function sessionRepo(remote: string | null) {
  const dir = mkdtempSync(join(tmpdir(), "od-forge-"));
  dirs.push(dir);
  sh(dir, "init", "-q", "-b", "main");
  sh(dir, "-c", "user.name=T", "-c", "user.email=t@example.com", "commit", "-q", "--allow-empty", "-m", "init");
  sh(dir, "checkout", "-q", "-b", "feature/login");
  if (remote) sh(dir, "remote", "add", "origin", remote);
  const id = crypto.randomUUID();
  cwds.set(id, dir);
  return id;
}

beforeAll(() => registry.start());
afterAll(() => {
  registry.stop();
  for (const s of stubs) s.stop();
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

interface Case {
  forge: "github" | "gitlab" | "gitea";
  start(): ForgeStub;
  remote(stub: ForgeStub): string;
  authHeader: string;
  comments: number;
  reviews: { author: string; state: string }[];
  checks: { name: string; status: string; conclusion: string | null }[];
}

const cases: Case[] = [
  {
    forge: "github",
    start: () => startGithubStub({ owner: "acme", repo: "widgets", token: "forge-secret" }),
    remote: (s) => `${s.url}/acme/widgets.git`,
    authHeader: "Bearer forge-secret",
    comments: 31,
    reviews: [{ author: "bob", state: "changes_requested" }],
    checks: [
      { name: "build", status: "completed", conclusion: "success" },
      { name: "lint", status: "completed", conclusion: "failure" },
      { name: "ci/legacy", status: "in_progress", conclusion: "pending" },
    ],
  },
  {
    forge: "gitlab",
    start: () => startGitlabStub({ project: "acme/platform/widgets", token: "forge-secret" }),
    remote: () => "git@127.0.0.1:acme/platform/widgets.git",
    authHeader: "forge-secret",
    comments: 29,
    reviews: [{ author: "carol", state: "approved" }],
    checks: [
      { name: "pipeline #51", status: "completed", conclusion: "failure" },
      { name: "test", status: "completed", conclusion: "failure" },
      { name: "deploy", status: "queued", conclusion: null },
    ],
  },
  {
    forge: "gitea",
    start: () => startGiteaStub({ owner: "acme", repo: "widgets", token: "forge-secret" }),
    remote: () => "ssh://git@127.0.0.1:2222/acme/widgets.git",
    authHeader: "token forge-secret",
    comments: 31,
    reviews: [{ author: "bob", state: "changes_requested" }],
    checks: [
      { name: "woodpecker/build", status: "completed", conclusion: "success" },
      { name: "woodpecker/test", status: "completed", conclusion: "failure" },
    ],
  },
];

for (const c of cases) {
  describe(`pull requests from ${c.forge}`, () => {
    let stub: ForgeStub;
    let sid: string;
    beforeAll(async () => {
      stub = c.start();
      stubs.push(stub);
      sid = sessionRepo(c.remote(stub));
      await registry.updateConfig("forge", { forgeType: c.forge, baseUrl: stub.url, token: "forge-secret" });
    });

    test("the PR for the session's branch comes first, then the open ones across pages", async () => {
      const { status, body } = await get(`/api/forge/prs?sessionId=${sid}&limit=60`);
      expect(status).toBe(200);
      expect(body.repo).toMatchObject({ forge: c.forge, branch: "feature/login", tokenSet: true });
      expect(body.current).toMatchObject({ number: 7, title: "Add the login page", sourceBranch: "feature/login" });
      expect(body.pulls[0].number).toBe(7);
      expect(body.pulls).toHaveLength(60);
      expect(body.pulls.slice(1, 4).map((p: any) => p.number)).toEqual([70, 69, 68]);
      expect(new Set(body.pulls.map((p: any) => p.number)).size).toBe(60);
      expect(body.pulls.every((p: any) => p.state === "open")).toBe(true);
      expect(stub.requests.some((r) => r.path.includes("page=3"))).toBe(true);
      expect(stub.requests.every((r) => r.auth === c.authHeader)).toBe(true);
    });

    test("shows a PR's detail, diff, comments, reviews and checks", async () => {
      const detail = await get(`/api/forge/prs/7?sessionId=${sid}`);
      expect(detail.body).toMatchObject({ number: 7, state: "open", body: "Body of #7", targetBranch: "main" });
      const diff = await get(`/api/forge/prs/7/diff?sessionId=${sid}`);
      expect(diff.status).toBe(200);
      expect(diff.body).toContain('+export const login = () => "added line";');
      expect(diff.body).toContain("+++ b/src/login.ts");
      const comments = (await get(`/api/forge/prs/7/comments?sessionId=${sid}`)).body.comments;
      expect(comments).toHaveLength(c.comments);
      expect(comments.find((x: any) => x.path)).toMatchObject({ path: "src/login.ts", line: 1, body: "rename this" });
      const reviews = (await get(`/api/forge/prs/7/reviews?sessionId=${sid}`)).body.reviews;
      expect(reviews.map((r: any) => ({ author: r.author, state: r.state }))).toEqual(c.reviews);
      const checks = (await get(`/api/forge/prs/7/checks?sessionId=${sid}`)).body.checks;
      expect(checks.map((x: any) => ({ name: x.name, status: x.status, conclusion: x.conclusion }))).toEqual(c.checks);
    });

    test("asking again is answered from the ETag cache (304 from the forge)", async () => {
      const first = await get(`/api/forge/prs/9?sessionId=${sid}`);
      const second = await get(`/api/forge/prs/9?sessionId=${sid}`);
      expect(second.body).toEqual(first.body);
      expect(stub.requests.at(-1)?.notModified).toBe(true);
    });

    test("an unknown PR is a 404; a rejected token is a 502 that says so and never echoes it", async () => {
      expect((await get(`/api/forge/prs/999?sessionId=${sid}`)).status).toBe(404);
      await registry.updateConfig("forge", { token: "wrong-token" });
      try {
        const { status, body } = await get(`/api/forge/prs?sessionId=${sid}`);
        expect(status).toBe(502);
        expect(body.error.message).toContain("refused the token (401");
        expect(body.error.upstreamStatus).toBe(401);
        expect(JSON.stringify(body)).not.toContain("wrong-token");
      } finally {
        await registry.updateConfig("forge", { token: "forge-secret" });
      }
    });
  });
}

describe("forge detection and input", () => {
  test("a session without an origin is a 404, an unknown host a 400 that points to Base URL", async () => {
    const none = await get(`/api/forge/prs?sessionId=${sessionRepo(null)}`);
    expect(none.status).toBe(404);
    expect(none.body.error.message).toContain("origin");
    await registry.updateConfig("forge", { baseUrl: null });
    const unknown = await get(`/api/forge/repo?sessionId=${sessionRepo("https://git.nowhere.test/a/b.git")}`);
    expect(unknown.status).toBe(400);
    expect(unknown.body.error.message).toContain("Base URL");
    const github = await get(`/api/forge/repo?sessionId=${sessionRepo("git@github.com:acme/widgets.git")}`);
    expect(github.body).toMatchObject({ forge: "github", host: "github.com", path: "acme/widgets" });
  });

  test("bad query values are 422s naming the field", async () => {
    const sid = sessionRepo(null);
    const limit = await get(`/api/forge/prs?sessionId=${sid}&limit=500`);
    expect(limit.status).toBe(422);
    expect(limit.body.error.issues[0].path).toBe("limit");
    expect((await get("/api/forge/prs")).body.error.issues[0].path).toBe("sessionId");
    expect((await get(`/api/forge/prs/abc?sessionId=${sid}`)).body.error.issues[0].path).toBe("number");
  });

  test("a disabled forge panel answers 404", async () => {
    await registry.setEnabled("forge", false);
    try {
      expect((await get(`/api/forge/prs?sessionId=${sessionRepo(null)}`)).status).toBe(404);
    } finally {
      await registry.setEnabled("forge", true);
    }
  });
});

test("with the GitHub CLI opted in, its token is used when the panel has none", async () => {
  const stub = startGithubStub({ owner: "acme", repo: "widgets", token: "gh-cli-token" });
  stubs.push(stub);
  const sid = sessionRepo(`${stub.url}/acme/widgets.git`);
  await registry.updateConfig("forge", { forgeType: "github", baseUrl: stub.url, token: null, useGhToken: false });
  expect((await get(`/api/forge/repo?sessionId=${sid}`)).body.tokenSet).toBe(false);
  expect((await get(`/api/forge/prs?sessionId=${sid}`)).status).toBe(502);
  await registry.updateConfig("forge", { useGhToken: true });
  try {
    const { status, body } = await get(`/api/forge/prs?sessionId=${sid}`);
    expect(status).toBe(200);
    expect(body.current.number).toBe(7);
  } finally {
    await registry.updateConfig("forge", { useGhToken: false });
  }
});

for (const [forge, start] of [
  ["gitlab", () => startGitlabStub({ project: "acme/platform/widgets", token: "docs-secret" })],
  ["gitea", () => startGiteaStub({ owner: "acme", repo: "widgets", token: "docs-secret" })],
] as const) {
  test(`the docs reader reads Markdown from ${forge} too`, async () => {
    const stub = start();
    stubs.push(stub);
    await registry.updateConfig("docs", {
      forgeType: forge,
      baseUrl: stub.url,
      repo: forge === "gitlab" ? "acme/platform/widgets" : "acme/widgets",
      token: "docs-secret",
    });
    const tree = await get("/api/forge/docs/tree");
    expect(tree.body.files).toEqual(["README.md", "docs/Daily Notes/2026-11-30.md", "docs/guide.md"]);
    const note = await get(`/api/forge/docs/file?path=${encodeURIComponent("docs/Daily Notes/2026-11-30.md")}`);
    expect(note.body.content).toBe("# Monday\n");
  });
}

describe("the docs reader (Markdown of a forge repository)", () => {
  let stub: ForgeStub;
  beforeAll(async () => {
    stub = startGithubStub({ owner: "acme", repo: "widgets", token: "docs-secret" });
    stubs.push(stub);
    await registry.updateConfig("docs", {
      forgeType: "github",
      baseUrl: stub.url,
      repo: "acme/widgets",
      token: "docs-secret",
    });
  });

  test("lists the repository's Markdown, reads a note and finds notes by name", async () => {
    const tree = await get("/api/forge/docs/tree");
    expect(tree.body).toMatchObject({ repo: "acme/widgets", branch: "main" });
    expect(tree.body.files).toEqual(["README.md", "docs/Daily Notes/2026-11-30.md", "docs/guide.md"]);
    const note = await get(`/api/forge/docs/file?path=${encodeURIComponent("docs/Daily Notes/2026-11-30.md")}`);
    expect(note.body.content).toBe("# Monday\n");
    expect((await get("/api/forge/docs/search?q=DAILY")).body.files).toEqual(["docs/Daily Notes/2026-11-30.md"]);
  });

  test("refuses what is not Markdown in the repository, and paths that climb out", async () => {
    expect((await get("/api/forge/docs/file?path=src/index.ts")).status).toBe(404);
    const climb = await get("/api/forge/docs/file?path=../secrets.md");
    expect(climb.status).toBe(422);
    expect(climb.body.error.issues[0].path).toBe("path");
    await registry.updateConfig("docs", { token: "nope" });
    expect((await get("/api/forge/docs/tree")).status).toBe(502);
  });
});

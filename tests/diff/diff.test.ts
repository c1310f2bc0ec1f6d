import { afterAll, describe, expect, test } from "bun:test";
import { mkdirSync, mkdtempSync, rmSync, unlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Elysia } from "elysia";
import type { AuthService } from "../../src/auth";
import { captureBaseline, createDiffRoutes, type SessionDiff, sessionDiff } from "../../src/diff";
import { AppError } from "../../src/errors";
import { errorResponse } from "../../src/http";

const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

function sh(cwd: string, ...args: string[]) {
  const r = Bun.spawnSync(["git", ...args], { cwd, stdout: "pipe", stderr: "pipe" });
  if (r.exitCode !== 0) throw new Error(`git ${args.join(" ")}: ${r.stderr.toString()}`);
  return r.stdout.toString();
}

function tempDir() {
  const d = mkdtempSync(join(tmpdir(), "opendray-diff-test-"));
  dirs.push(d);
  return d;
}

/** A repo with one commit, then a staged edit, an unstaged edit and an untracked file: a user mid-work. */
function dirtyRepo() {
  const dir = tempDir();
  sh(dir, "init", "-q", "-b", "main");
  sh(dir, "config", "user.name", "Test");
  sh(dir, "config", "user.email", "test@example.com");
  writeFileSync(join(dir, ".gitignore"), "ignored.log\n");
  writeFileSync(join(dir, "keep.txt"), "one\ntwo\nthree\n");
  writeFileSync(join(dir, "staged.txt"), "s1\n");
  writeFileSync(join(dir, "gone.txt"), "bye\n");
  writeFileSync(join(dir, "old-name.txt"), "a file long enough\nthat a rename\nis detected as one\n");
  sh(dir, "add", "-A");
  sh(dir, "commit", "-q", "-m", "init");
  writeFileSync(join(dir, "staged.txt"), "s1\ns2 staged before the session\n");
  sh(dir, "add", "staged.txt");
  writeFileSync(join(dir, "keep.txt"), "one\ntwo\nthree\nfour (uncommitted before the session)\n");
  writeFileSync(join(dir, "untracked-before.txt"), "was here already\n");
  writeFileSync(join(dir, "ignored.log"), "noise\n");
  return dir;
}

const byPath = (d: SessionDiff) => Object.fromEntries(d.files.map((f) => [f.path, f]));

describe("session diff", () => {
  test("shows only what the session changed, not the user's earlier uncommitted work", async () => {
    const dir = dirtyRepo();
    const baseline = await captureBaseline(dir);
    expect(baseline).not.toBeNull();
    expect((await sessionDiff(dir, baseline as string)).files).toEqual([]);

    writeFileSync(join(dir, "keep.txt"), "one\nTWO\nthree\nfour (uncommitted before the session)\n");
    writeFileSync(join(dir, "new.txt"), "fresh\nlines\n");
    unlinkSync(join(dir, "gone.txt"));
    sh(dir, "mv", "old-name.txt", "new-name.txt");
    writeFileSync(join(dir, "ignored.log"), "more noise\n");
    writeFileSync(join(dir, "blob.bin"), Buffer.from([0, 1, 2, 0, 255, 0]));

    const d = await sessionDiff(dir, baseline as string);
    const files = byPath(d);
    expect(Object.keys(files).sort()).toEqual(["blob.bin", "gone.txt", "keep.txt", "new-name.txt", "new.txt"]);
    expect(files["keep.txt"]).toMatchObject({ status: "modified", additions: 1, deletions: 1 });
    expect(files["new.txt"]).toMatchObject({ status: "added", additions: 2, deletions: 0 });
    expect(files["gone.txt"]).toMatchObject({ status: "deleted", additions: 0, deletions: 1 });
    expect(files["new-name.txt"]).toMatchObject({
      status: "renamed",
      oldPath: "old-name.txt",
      additions: 0,
      deletions: 0,
    });
    expect(files["blob.bin"]).toMatchObject({ status: "added", additions: 0, deletions: 0, binary: true });
    expect(d.truncated).toBe(false);
    expect(d.baseline).toBe(JSON.parse(baseline as string).tree);
    expect(d.baseline).toMatch(/^[0-9a-f]{40}$/);
    expect(d.diff).toContain("-two\n+TWO\n");
    expect(d.diff).toContain("+++ b/new.txt");
    expect(d.diff).not.toContain("+four (uncommitted");
    expect(d.diff).not.toContain("s2 staged");
    expect(d.diff).not.toContain("was here already");
  });

  test("a commit made during the session still shows against the starting point", async () => {
    const dir = dirtyRepo();
    const baseline = (await captureBaseline(dir)) as string;
    writeFileSync(join(dir, "feature.ts"), "export const x = 1;\n");
    sh(dir, "add", "-A");
    sh(dir, "commit", "-q", "-m", "session work");
    const files = byPath(await sessionDiff(dir, baseline));
    // The commit also took the user's earlier staged/unstaged edits, which the baseline already had.
    expect(Object.keys(files)).toEqual(["feature.ts"]);
    expect(files["feature.ts"]).toMatchObject({ status: "added", additions: 1 });
  });

  test("capturing leaves the user's index and status exactly as they were", async () => {
    const dir = dirtyRepo();
    const before = {
      cached: sh(dir, "diff", "--cached"),
      status: sh(dir, "status", "--porcelain=v1", "-uall"),
      head: sh(dir, "rev-parse", "HEAD"),
    };
    const refs = sh(dir, "for-each-ref");
    const baseline = (await captureBaseline(dir)) as string;
    writeFileSync(join(dir, "later.txt"), "x\n");
    await sessionDiff(dir, baseline);
    unlinkSync(join(dir, "later.txt"));
    expect(sh(dir, "diff", "--cached")).toBe(before.cached);
    expect(sh(dir, "status", "--porcelain=v1", "-uall")).toBe(before.status);
    expect(sh(dir, "rev-parse", "HEAD")).toBe(before.head);
    expect(sh(dir, "for-each-ref")).toBe(refs);
    expect(sh(dir, "stash", "list")).toBe("");
  });

  test("works from a subdirectory and in a repository with no commits yet", async () => {
    const dir = tempDir();
    sh(dir, "init", "-q");
    writeFileSync(join(dir, "a.txt"), "a\n");
    const baseline = (await captureBaseline(dir)) as string;
    expect(baseline).not.toBeNull();
    mkdirSync(join(dir, "sub"));
    writeFileSync(join(dir, "sub", "b.txt"), "b\n");
    writeFileSync(join(dir, "c.txt"), "c\n");
    const fromSub = (await sessionDiff(join(dir, "sub"), baseline)).files.map((f) => f.path);
    expect(fromSub).toEqual(["c.txt", "sub/b.txt"]);
    const subBaseline = (await captureBaseline(join(dir, "sub"))) as string;
    writeFileSync(join(dir, "d.txt"), "d\n");
    expect((await sessionDiff(join(dir, "sub"), subBaseline)).files.map((f) => f.path)).toEqual(["d.txt"]);
  });

  test("an embedded repository with no commit does not stop the snapshot", async () => {
    const dir = dirtyRepo();
    mkdirSync(join(dir, "inner"));
    sh(join(dir, "inner"), "init", "-q");
    const baseline = (await captureBaseline(dir)) as string;
    expect(baseline).not.toBeNull();
    writeFileSync(join(dir, "after.txt"), "x\n");
    expect((await sessionDiff(dir, baseline)).files.map((f) => f.path)).toEqual(["after.txt"]);
  });

  test("a directory outside any repository has no baseline", async () => {
    expect(await captureBaseline(tempDir())).toBeNull();
    expect(await captureBaseline(join(tempDir(), "does-not-exist"))).toBeNull();
  });

  test("a huge diff is cut at 2 MB and says so", async () => {
    const dir = dirtyRepo();
    const baseline = (await captureBaseline(dir)) as string;
    writeFileSync(join(dir, "big.txt"), `${"x".repeat(99)}\n`.repeat(30_000));
    const d = await sessionDiff(dir, baseline);
    expect(d.truncated).toBe(true);
    expect(Buffer.byteLength(d.diff)).toBeLessThanOrEqual(2 * 1024 * 1024);
    expect(d.diff.endsWith("\n")).toBe(true);
    expect(byPath(d)["big.txt"]).toMatchObject({ status: "added", additions: 30_000 });
  });
});

describe("GET /api/sessions/:id/diff", () => {
  const repoId = "11111111-1111-4111-8111-111111111111";
  const plainId = "22222222-2222-4222-8222-222222222222";
  const repo = dirtyRepo();
  let baseline: string | null = null;
  // Only verify() is used by the auth guard.
  const auth = { verify: (token: string) => (token === "t" ? { sub: "admin" } : null) } as unknown as AuthService;
  const sessions = {
    async diffInfo(id: string) {
      if (id === repoId) return { cwd: repo, baseline };
      if (id === plainId) return { cwd: tmpdir(), baseline: null };
      throw new AppError("not_found", "session not found");
    },
  };
  const app = new Elysia()
    .onError(({ code, error, request }) => errorResponse(code, error, request))
    .use(createDiffRoutes({ auth, sessions }));
  const get = async (id: string, token = "t") => {
    const res = await app.handle(
      new Request(`http://local/api/sessions/${id}/diff`, { headers: { authorization: `Bearer ${token}` } }),
    );
    return {
      status: res.status,
      body: (await res.json()) as Record<string, unknown> & { error?: { code: string; message: string } },
    };
  };

  test("a phone reads the session's changes", async () => {
    baseline = await captureBaseline(repo);
    writeFileSync(join(repo, "phone.txt"), "hello\n");
    const { status, body } = await get(repoId);
    expect(status).toBe(200);
    expect(body.files).toEqual([{ path: "phone.txt", status: "added", additions: 1, deletions: 0, binary: false }]);
    expect(body.diff).toContain("+hello");
    expect(body.truncated).toBe(false);
  });

  test("refuses without a token, and answers 404 for non-repositories and unknown sessions", async () => {
    expect((await get(repoId, "wrong")).status).toBe(401);
    const plain = await get(plainId);
    expect(plain.status).toBe(404);
    expect(plain.body).toEqual({
      error: { code: "not_found", message: "this session's directory is not a git repository" },
    });
    const unknown = await get("33333333-3333-4333-8333-333333333333");
    expect(unknown.status).toBe(404);
    expect(unknown.body.error?.code).toBe("not_found");
    expect((await get("not-a-uuid")).status).toBe(422);
  });
});

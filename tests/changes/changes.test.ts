import { afterAll, describe, expect, test } from "bun:test";
import { mkdirSync, renameSync, unlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { createChangesRoutes, parsePorcelainV2, workTreeStatus } from "../../src/changes";
import { captureBaseline } from "../../src/diff";
import { appWith, auth, cleanup, git, registry, tempDir } from "../files/app";

afterAll(cleanup);

const SID = "11111111-1111-4111-8111-111111111111";

/** A repo with a submodule, mid-work: staged, unstaged, untracked, renamed, deleted, binary, unicode. */
function repo() {
  const lib = tempDir("opendray-lib-");
  git(lib, "init", "-q", "-b", "main");
  writeFileSync(join(lib, "lib.txt"), "lib\n");
  git(lib, "add", "-A");
  git(lib, "commit", "-q", "-m", "lib");
  const dir = tempDir("opendray-changes-");
  git(dir, "init", "-q", "-b", "main");
  writeFileSync(join(dir, "keep.txt"), "one\ntwo\nthree\n");
  writeFileSync(join(dir, "gone.txt"), "bye\n");
  writeFileSync(join(dir, "old name.txt"), "a file long enough\nthat a rename\nis detected as one\n");
  writeFileSync(join(dir, "staged.txt"), "s1\n");
  git(dir, "add", "-A");
  git(dir, "-c", "protocol.file.allow=always", "submodule", "add", "-q", lib, "vendor/lib");
  git(dir, "commit", "-q", "-m", "init");
  return { dir, lib };
}

const sessions = (cwd: string, baseline: string | null = null) => {
  const inputs: { data: string; id?: string }[] = [];
  const seen = new Set<string>();
  return {
    inputs,
    async diffInfo(id: string) {
      if (id !== SID) throw Object.assign(new Error("x"), {});
      return { cwd, baseline };
    },
    async input(_id: string, data: string, inputId?: string) {
      if (inputId && seen.has(inputId)) return { applied: false };
      if (inputId) seen.add(inputId);
      inputs.push({ data, id: inputId });
      return { applied: true };
    },
  };
};

describe("changes by mode", () => {
  const { dir, lib } = repo();
  let baseline: string | null = null;
  const s = sessions(dir);
  const { call } = appWith(
    createChangesRoutes({
      auth,
      registry: registry(),
      sessions: {
        ...s,
        diffInfo: async () => ({ cwd: dir, baseline }),
      },
    }),
  );
  const changes = async (mode: string, extra = "") => {
    const r = await call("GET", `/api/sessions/${SID}/changes?mode=${mode}${extra}`);
    expect(r.status).toBe(200);
    return r.body as { files: any[]; total: number; nextOffset: number | null; base: string };
  };
  const byPath = (files: any[]) => Object.fromEntries(files.map((f) => [f.path, f]));

  test("working shows staged, unstaged and untracked changes with renames, deletes, binary and unicode", async () => {
    baseline = await captureBaseline(dir);
    writeFileSync(join(dir, "staged.txt"), "s1\ns2\n");
    git(dir, "add", "staged.txt");
    writeFileSync(join(dir, "keep.txt"), "one\nTWO\nthree\n");
    unlinkSync(join(dir, "gone.txt"));
    renameSync(join(dir, "old name.txt"), join(dir, "new name.txt"));
    writeFileSync(join(dir, "blob.bin"), Buffer.from([0, 1, 2, 0, 255]));
    writeFileSync(join(dir, "héllo wörld ✓.md"), "# hi\n");
    writeFileSync(join(lib, "lib.txt"), "lib changed\n");
    git(lib, "commit", "-q", "-am", "lib 2");
    git(join(dir, "vendor", "lib"), "pull", "-q", lib, "main");

    const w = await changes("working");
    const files = byPath(w.files);
    expect(Object.keys(files).sort()).toEqual([
      "blob.bin",
      "gone.txt",
      "héllo wörld ✓.md",
      "keep.txt",
      "new name.txt",
      "staged.txt",
      "vendor/lib",
    ]);
    expect(files["keep.txt"]).toMatchObject({ status: "modified", additions: 1, deletions: 1, binary: false });
    expect(files["new name.txt"]).toMatchObject({ status: "renamed", oldPath: "old name.txt" });
    expect(files["gone.txt"]).toMatchObject({ status: "deleted", deletions: 1 });
    expect(files["blob.bin"]).toMatchObject({ status: "added", binary: true, hunks: [] });
    expect(files["héllo wörld ✓.md"]).toMatchObject({ status: "added", additions: 1 });
    expect(files["vendor/lib"]).toMatchObject({ status: "modified" });
    const hunk = files["keep.txt"].hunks[0];
    expect(hunk).toMatchObject({ oldStart: 1, newStart: 1 });
    expect(hunk.lines).toEqual([
      { type: "ctx", text: "one", oldLine: 1, newLine: 1 },
      { type: "del", text: "two", oldLine: 2, newLine: null },
      { type: "add", text: "TWO", oldLine: null, newLine: 2 },
      { type: "ctx", text: "three", oldLine: 3, newLine: 3 },
    ]);
    expect(files["héllo wörld ✓.md"].hunks[0].lines[0]).toMatchObject({ type: "add", text: "# hi", newLine: 1 });
  });

  test("unstaged, staged, baseline and branch each show their own slice", async () => {
    const unstaged = byPath((await changes("unstaged")).files);
    expect(unstaged["keep.txt"]).toBeDefined();
    expect(unstaged["staged.txt"]).toBeUndefined();
    expect(unstaged["blob.bin"]).toBeUndefined();
    const staged = byPath((await changes("staged")).files);
    expect(Object.keys(staged)).toEqual(["staged.txt"]);
    const since = byPath((await changes("baseline")).files);
    expect(since["staged.txt"]).toBeDefined();
    git(dir, "checkout", "-q", "-b", "feature");
    git(dir, "add", "-A");
    git(dir, "commit", "-q", "-m", "feature work");
    writeFileSync(join(dir, "after.txt"), "uncommitted on the branch\n");
    const branch = await changes("branch");
    expect(Object.keys(byPath(branch.files))).toContain("after.txt");
    expect(Object.keys(byPath(branch.files))).toContain("keep.txt");
    expect(branch.base).toBe(git(dir, "rev-parse", "main").trim());
    expect((await changes("working")).files.map((f) => f.path)).toEqual(["after.txt"]);
  });

  test("a huge diff is paged by files", async () => {
    mkdirSync(join(dir, "many"));
    for (let i = 0; i < 30; i++) writeFileSync(join(dir, "many", `f${String(i).padStart(2, "0")}.txt`), `${i}\n`);
    const first = await changes("working", "&limit=10");
    expect(first.total).toBe(31);
    expect(first.files.length).toBe(10);
    expect(first.nextOffset).toBe(10);
    const last = await changes("working", "&limit=10&offset=30");
    expect(last.files.length).toBe(1);
    expect(last.nextOffset).toBeNull();
    expect(last.files[0]).toMatchObject({ path: "many/f29.txt" });
    expect(last.files[0].hunks[0].lines[0].text).toBe("29");
  });

  test("bad modes and refs answer 422 naming the field; log and branches are read-only views", async () => {
    const bad = await call("GET", `/api/sessions/${SID}/changes?mode=everything`);
    expect(bad.status).toBe(422);
    expect(bad.body.error.issues[0].path).toBe("mode");
    for (const ref of ["--output=/tmp/x", "main..feature", "a b"]) {
      const r = await call("GET", `/api/sessions/${SID}/git/log?ref=${encodeURIComponent(ref)}`);
      expect(r.status).toBe(422);
    }
    expect((await call("GET", `/api/sessions/${SID}/git/log?path=../x`)).status).toBe(422);
    const log = await call("GET", `/api/sessions/${SID}/git/log?ref=main&limit=5`);
    expect(log.body.commits.map((c: { subject: string }) => c.subject)).toEqual(["init"]);
    const branches = await call("GET", `/api/sessions/${SID}/git/branches`);
    expect(branches.body.branches).toEqual([
      expect.objectContaining({ name: "feature", current: true }),
      expect.objectContaining({ name: "main", current: false }),
    ]);
  });

  test("review notes become one message quoting file:line, sent once per id", async () => {
    const body = {
      id: "rev-1",
      comments: [
        { path: "keep.txt", line: 2, body: "Why upper case?" },
        { path: "gone.txt", line: 1, side: "old", body: "Keep this file" },
      ],
      summary: "Mostly fine.",
    };
    const r = await call("POST", `/api/sessions/${SID}/review`, { json: body });
    expect(r.status).toBe(200);
    expect(r.body.status).toBe("sent");
    const again = await call("POST", `/api/sessions/${SID}/review`, { json: body });
    expect(again.body.status).toBe("duplicate");
    expect(s.inputs.map((i) => i.id)).toEqual(["review:rev-1", "review:rev-1:enter"]);
    const text = s.inputs[0]?.data ?? "";
    expect(text.startsWith("\x1b[200~")).toBe(true);
    expect(text).toContain("keep.txt:2\n> TWO\nWhy upper case?");
    expect(text).toContain("gone.txt:1 (removed line)\nKeep this file");
    expect(text).toContain("Mostly fine.");
    expect(s.inputs[1]?.data).toBe("\r");
    const empty = await call("POST", `/api/sessions/${SID}/review`, { json: { comments: [] } });
    expect(empty.status).toBe(422);
    const badLine = await call("POST", `/api/sessions/${SID}/review`, {
      json: { comments: [{ path: "a", line: 0, body: "x" }] },
    });
    expect(badLine.body.error.issues[0].path).toBe("comments.0.line");
  });

  test("a directory outside git answers 404", async () => {
    const plain = tempDir();
    const { call: c2 } = appWith(createChangesRoutes({ auth, registry: registry(), sessions: sessions(plain) }));
    expect((await c2("GET", `/api/sessions/${SID}/changes`)).status).toBe(404);
  });
});

describe("status from porcelain v2", () => {
  test("renames, conflicts, untracked and paths with spaces parse from -z output", () => {
    const out = [
      "# branch.oid abc",
      "1 .M N... 100644 100644 100644 aaa bbb a file.txt",
      "2 R. N... 100644 100644 100644 aaa bbb R100 new name.txt",
      "old name.txt",
      "u UU N... 100644 100644 100644 100644 aaa bbb ccc both.txt",
      "? new ✓.txt",
      "1 .M S.M. 160000 160000 160000 aaa aaa vendor/lib",
      "",
    ].join("\0");
    expect(parsePorcelainV2(out)).toEqual([
      { path: "a file.txt", status: "modified", staged: false, unstaged: true, submodule: false },
      {
        path: "new name.txt",
        oldPath: "old name.txt",
        status: "renamed",
        staged: true,
        unstaged: false,
        submodule: false,
      },
      { path: "both.txt", status: "conflicted", staged: true, unstaged: true, submodule: false },
      { path: "new ✓.txt", status: "untracked", staged: false, unstaged: true, submodule: false },
      { path: "vendor/lib", status: "modified", staged: false, unstaged: true, submodule: true },
    ]);
  });

  test("a real repository's status matches what was done", async () => {
    const { dir } = repo();
    git(dir, "mv", "old name.txt", "renamed ✓.txt");
    writeFileSync(join(dir, "untracked.txt"), "u\n");
    unlinkSync(join(dir, "gone.txt"));
    const st = await workTreeStatus(dir);
    expect(st.map((e) => [e.path, e.status])).toEqual([
      ["gone.txt", "deleted"],
      ["renamed ✓.txt", "renamed"],
      ["untracked.txt", "untracked"],
    ]);
  });
});

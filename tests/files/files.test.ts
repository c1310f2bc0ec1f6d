import { afterAll, describe, expect, test } from "bun:test";
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { createFilesRoutes, openInside, resolveInside } from "../../src/files";
import { appWith, auth, cleanup, fakeSessions, git, registry, tempDir } from "./app";

afterAll(cleanup);

const SID = "11111111-1111-4111-8111-111111111111";
const base = tempDir();
const root = join(base, "root");
const root2 = join(base, "root2");
const elsewhere = join(base, "elsewhere");
for (const d of [root, root2, elsewhere, join(root, "sub"), join(root, "node_modules", "dep")])
  mkdirSync(d, { recursive: true });
writeFileSync(join(root2, "secret.txt"), "root2 secret\n");
writeFileSync(join(elsewhere, "secret.txt"), "elsewhere secret\n");
writeFileSync(join(root, "hello.txt"), "hello wörld\n");
writeFileSync(join(root, "sub", "deep.ts"), "export const needle = 42;\n");
writeFileSync(join(root, "node_modules", "dep", "needle.js"), "needle in a dependency\n");
writeFileSync(join(root, "latin1.txt"), Buffer.from([0x63, 0x61, 0x66, 0xe9, 0x0a]));
writeFileSync(join(root, "blob.bin"), Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 0, 1, 2]));
writeFileSync(join(root, "pic.png"), Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
writeFileSync(join(root, "page.html"), "<script>alert(1)</script>");
writeFileSync(join(root, "clip.mp4"), Buffer.alloc(1000, 7));
symlinkSync("/etc", join(root, "etc"));
symlinkSync(join(root2, "secret.txt"), join(root, "to-root2"));
symlinkSync("../root2", join(root, "root2-dir"));
symlinkSync("sub", join(root, "inner"));

const reg = registry();
const files = createFilesRoutes({
  auth,
  registry: reg,
  sessions: fakeSessions({ [SID]: root }),
  configRoots: [`proj=${root}`],
  imageDir: join(base, "images"),
});
const { call } = appWith(files);
const q = (path: string, extra = "") => `sessionId=${SID}&path=${encodeURIComponent(path)}${extra}`;

describe("the sandbox refuses every way out, and nothing outside is read or written", () => {
  const escapes: [string, string, number][] = [
    ["..", "dotdot", 422],
    ["sub/../../root2/secret.txt", "dotdot inside", 422],
    ["/etc/passwd", "absolute", 422],
    ["etc/passwd", "symlink to /etc", 403],
    ["to-root2", "symlink into a sibling root2", 403],
    ["root2-dir/secret.txt", "symlinked dir into root2", 403],
    ["hello.txt\0.png", "NUL byte", 422],
  ];
  for (const [path, what, status] of escapes) {
    test(`read, raw and list refuse ${what}`, async () => {
      for (const route of ["read", "raw", "list"]) {
        const r = await call("GET", `/api/files/${route}?${q(path)}`);
        expect(r.status).toBe(status);
        expect(JSON.stringify(r.body)).not.toContain("secret");
        expect(JSON.stringify(r.body)).not.toContain("root:x:0");
      }
    });
  }

  test("encoded %2e%2e is decoded once and refused; a double-encoded one is just a missing name", async () => {
    expect((await call("GET", `/api/files/read?sessionId=${SID}&path=%2e%2e%2froot2%2fsecret.txt`)).status).toBe(422);
    expect((await call("GET", `/api/files/read?sessionId=${SID}&path=%252e%252e%252froot2`)).status).toBe(404);
  });

  test("writes and uploads through a symlink to /etc or into root2 are refused and create nothing", async () => {
    for (const path of ["etc/opendray-evil", "root2-dir/evil.txt", "../root2/evil.txt", "/tmp/evil.txt"]) {
      const r = await call("PUT", "/api/files/write", {
        json: { sessionId: SID, path, content: "x", expectedSha256: null },
      });
      expect([403, 422]).toContain(r.status);
    }
    const form = new FormData();
    form.append("file", new File(["x"], "evil.txt"));
    expect((await call("POST", `/api/files/upload?${q("root2-dir")}`, { body: form })).status).toBe(403);
    expect((await call("POST", `/api/files/upload?${q("etc/x")}`, { body: form })).status).toBe(403);
    expect(existsSync("/etc/opendray-evil")).toBe(false);
    expect(existsSync(join(root2, "evil.txt"))).toBe(false);
    expect(existsSync("/etc/x")).toBe(false);
  });

  test("a file that becomes a symlink between the check and the open is refused", () => {
    const r0 = { name: "t", real: root };
    writeFileSync(join(root, "swap.txt"), "inside\n");
    const checked = resolveInside(r0, "swap.txt");
    rmSync(join(root, "swap.txt"));
    symlinkSync(join(elsewhere, "secret.txt"), join(root, "swap.txt"));
    expect(() => openInside(r0, checked)).toThrow("outside the root");
    rmSync(join(root, "swap.txt"));
  });

  test("a folder swapped for a symlink between the check and the write gets nothing written outside", async () => {
    mkdirSync(join(root, "swapdir"));
    const { writeFile } = await import("../../src/files/service");
    const r0 = { name: "t", real: root };
    // First the real resolution happens inside writeFile; simulate the swap right after it by
    // swapping before the open through a path the checker saw as a directory.
    const dirChecked = resolveInside(r0, "swapdir");
    renameSync(join(root, "swapdir"), join(root, "swapdir-old"));
    symlinkSync(elsewhere, join(root, "swapdir"));
    const { openForWrite } = await import("../../src/files/sandbox");
    expect(() => openForWrite(r0, dirChecked, "planted.txt", { exclusive: true })).toThrow("outside the root");
    expect(existsSync(join(elsewhere, "planted.txt"))).toBe(false);
    expect(() => writeFile(r0, "swapdir/planted.txt", new Uint8Array([1]), null)).toThrow("outside the root");
    expect(existsSync(join(elsewhere, "planted.txt"))).toBe(false);
  });

  test("a root named by config works; /root2 is not inside /root even though the string starts the same", async () => {
    const r = await call("GET", `/api/files/read?root=proj&path=hello.txt`);
    expect(r.status).toBe(200);
    expect((await call("GET", `/api/files/list?root=root2&path=`)).status).toBe(404);
    expect((await call("GET", `/api/files/list?path=`)).status).toBe(422);
  });
});

describe("browsing, reading and raw files", () => {
  test("a listing shows folders first with size, mtime and git status; hidden and symlinked dirs handled", async () => {
    git(root, "init", "-q");
    git(root, "add", "hello.txt");
    git(root, "commit", "-q", "-m", "init");
    writeFileSync(join(root, "hello.txt"), "hello again\n");
    writeFileSync(join(root, ".hidden"), "h\n");
    const r = await call("GET", `/api/files/list?${q("")}`);
    expect(r.status).toBe(200);
    const byName = Object.fromEntries(r.body.entries.map((e: { name: string }) => [e.name, e]));
    expect(r.body.entries[0].type).toBe("dir");
    expect(byName["hello.txt"]).toMatchObject({ type: "file", size: 12, git: "modified", path: "hello.txt" });
    expect(byName.sub).toMatchObject({ type: "dir", git: "changed" });
    expect(byName.etc.type).toBe("symlink");
    expect(byName[".hidden"]).toBeUndefined();
    const withHidden = await call("GET", `/api/files/list?${q("", "&hidden=1")}`);
    expect(withHidden.body.entries.map((e: { name: string }) => e.name)).toContain(".hidden");
    const inner = await call("GET", `/api/files/list?${q("inner")}`);
    expect(inner.body.entries.map((e: { path: string }) => e.path)).toEqual(["inner/deep.ts"]);
  });

  test("text is read with its encoding and hash; binary is detected; ranges and the size cap apply", async () => {
    const t = await call("GET", `/api/files/read?${q("hello.txt")}`);
    expect(t.body).toMatchObject({ binary: false, encoding: "utf-8", content: "hello again\n", truncated: false });
    expect(t.body.sha256).toBe(createHash("sha256").update("hello again\n").digest("hex"));
    const l = await call("GET", `/api/files/read?${q("latin1.txt")}`);
    expect(l.body).toMatchObject({ encoding: "windows-1252", content: "café\n" });
    const b = await call("GET", `/api/files/read?${q("blob.bin")}`);
    expect(b.body).toMatchObject({ binary: true, content: null, hex: "89504e4700000102" });
    const part = await call("GET", `/api/files/read?${q("hello.txt", "&offset=6&length=5")}`);
    expect(part.body).toMatchObject({ content: "again", offset: 6, length: 5, truncated: true });
    writeFileSync(join(root, "big.txt"), "y".repeat(600 * 1024));
    const big = await call("GET", `/api/files/read?${q("big.txt")}`);
    expect(big.body).toMatchObject({ length: 512 * 1024, truncated: true, size: 600 * 1024 });
    expect((await call("GET", `/api/files/read?${q("nope.txt")}`)).status).toBe(404);
    expect((await call("GET", `/api/files/read?${q("sub")}`)).status).toBe(400);
    expect((await call("GET", `/api/files/read?${q("hello.txt", "&offset=-1")}`)).status).toBe(422);
  });

  test("raw serves images with their type, HTML sandboxed, and byte ranges for video", async () => {
    const png = await call("GET", `/api/files/raw?${q("pic.png")}`);
    expect(png.headers.get("content-type")).toBe("image/png");
    expect(png.headers.get("content-security-policy")).toBeNull();
    const html = await call("GET", `/api/files/raw?${q("page.html")}`);
    expect(html.headers.get("content-security-policy")).toBe("sandbox");
    expect(html.headers.get("x-content-type-options")).toBe("nosniff");
    const part = await call("GET", `/api/files/raw?${q("clip.mp4")}`, { headers: { range: "bytes=10-19" } });
    expect(part.status).toBe(206);
    expect(part.headers.get("content-range")).toBe("bytes 10-19/1000");
    expect((await part.res.arrayBuffer()).byteLength).toBe(10);
    expect(part.headers.get("content-type")).toBe("video/mp4");
  });
});

describe("editing and uploading", () => {
  test("a write with the hash the user read lands; a stale hash answers 409 with the current one", async () => {
    const read = await call("GET", `/api/files/read?${q("hello.txt")}`);
    const ok = await call("PUT", "/api/files/write", {
      json: { sessionId: SID, path: "hello.txt", content: "edited on the phone\n", expectedSha256: read.body.sha256 },
    });
    expect(ok.status).toBe(200);
    expect(readFileSync(join(root, "hello.txt"), "utf8")).toBe("edited on the phone\n");
    writeFileSync(join(root, "hello.txt"), "the agent wrote meanwhile\n");
    const stale = await call("PUT", "/api/files/write", {
      json: { sessionId: SID, path: "hello.txt", content: "mine\n", expectedSha256: ok.body.sha256 },
    });
    expect(stale.status).toBe(409);
    expect(stale.body.error.currentSha256).toBe(
      createHash("sha256").update("the agent wrote meanwhile\n").digest("hex"),
    );
    expect(readFileSync(join(root, "hello.txt"), "utf8")).toBe("the agent wrote meanwhile\n");
    const exists = await call("PUT", "/api/files/write", {
      json: { sessionId: SID, path: "hello.txt", content: "x", expectedSha256: null },
    });
    expect(exists.status).toBe(409);
    const created = await call("PUT", "/api/files/write", {
      json: { sessionId: SID, path: "sub/new.bin", base64: "AAEC", expectedSha256: null },
    });
    expect(created.status).toBe(200);
    expect([...readFileSync(join(root, "sub", "new.bin"))]).toEqual([0, 1, 2]);
    const both = await call("PUT", "/api/files/write", {
      json: { sessionId: SID, path: "a", content: "x", base64: "AA==", expectedSha256: null },
    });
    expect(both.status).toBe(422);
    expect(both.body.error.issues[0].path).toBe("content");
  });

  test("several files upload into a new folder; a taken name gets a suffix; the paths come back", async () => {
    const form = new FormData();
    form.append("file", new File(["one"], "photo.jpg"));
    form.append("file", new File(["two"], "photo.jpg"));
    form.append("file", new File(["three"], "../../escape.txt"));
    const r = await call("POST", `/api/files/upload?${q("uploads/today")}`, { body: form });
    expect(r.status).toBe(201);
    expect(r.body.files.map((f: { path: string }) => f.path)).toEqual([
      "uploads/today/photo.jpg",
      "uploads/today/photo-1.jpg",
      "uploads/today/escape.txt",
    ]);
    expect(r.body.files[0].absolutePath).toBe(join(root, "uploads", "today", "photo.jpg"));
    expect(readFileSync(join(root, "uploads", "today", "photo-1.jpg"), "utf8")).toBe("two");
    const none = await call("POST", `/api/files/upload?${q("uploads")}`, { body: new FormData() });
    expect(none.status).toBe(422);
  });

  test("an attached image is saved with the extension of its type and its path answered", async () => {
    const r = await call("POST", `/api/sessions/${SID}/image`, {
      body: new Uint8Array([1, 2, 3, 4]),
      headers: { "content-type": "image/jpeg" },
    });
    expect(r.status).toBe(200);
    expect(r.body.name).toMatch(/^img-\d+\.jpg$/);
    expect(r.body.size).toBe(4);
    expect(r.body.path).toBe(join(base, "images", SID, r.body.name));
    expect([...readFileSync(r.body.path)]).toEqual([1, 2, 3, 4]);
    const png = await call("POST", `/api/sessions/${SID}/image`, { body: new Uint8Array([9]) });
    expect(png.body.name).toMatch(/\.png$/);
    const unknown = await call("POST", "/api/sessions/22222222-2222-4222-8222-222222222222/image", {
      body: new Uint8Array([9]),
    });
    expect(unknown.status).toBe(404);
  });
});

describe("search", () => {
  for (const engine of ["ripgrep", "walk"] as const) {
    test(`finds names and content, skipping node_modules (${engine})`, async () => {
      const { searchFiles } = await import("../../src/files");
      const r0 = { name: "t", real: root };
      const opt = engine === "walk" ? { engine: "walk" as const } : {};
      const names = await searchFiles(r0, { q: "DEEP", mode: "name", path: "", hidden: false, ...opt });
      expect(names.hits.map((h) => h.path)).toEqual(["sub/deep.ts"]);
      expect(names.engine).toBe(engine);
      const content = await searchFiles(r0, { q: "needle", mode: "content", path: "", hidden: false, ...opt });
      expect(content.hits).toEqual([{ path: "sub/deep.ts", line: 1, text: "export const needle = 42;" }]);
    });
  }

  test("the route caps hits at 200 and says so", async () => {
    mkdirSync(join(root, "many"));
    for (let i = 0; i < 250; i++) writeFileSync(join(root, "many", `match-${i}.txt`), "match\n");
    const r = await call("GET", `/api/files/search?${q("many", "&q=match&mode=content")}`);
    expect(r.status).toBe(200);
    expect(r.body.hits.length).toBe(200);
    expect(r.body.truncated).toBe(true);
    expect((await call("GET", `/api/files/search?${q("", "&q=")}`)).status).toBe(422);
    expect((await call("GET", `/api/files/search?${q("etc", "&q=root")}`)).status).toBe(403);
  });
});

test("a disabled files panel answers 404; the image attach stays", async () => {
  await reg.setEnabled("files", false);
  expect((await call("GET", `/api/files/list?${q("")}`)).status).toBe(404);
  expect((await call("GET", `/api/files/list?${q("")}`, { headers: { authorization: "" } })).status).toBe(404);
  await reg.setEnabled("files", true);
  expect((await call("GET", `/api/files/list?${q("")}`)).status).toBe(200);
  expect((await call("GET", `/api/files/list?${q("")}`, { headers: { authorization: "Bearer x" } })).status).toBe(401);
});

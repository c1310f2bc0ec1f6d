// Workspace figures: listing a 10 000-entry folder (≤ 100 ms), the changes of a 1 000-file diff (≤ 1 s),
// content search over 50 MB with ripgrep (≤ 1 s). Through the real routes, in process.   bun bench/workspace.ts
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createChangesRoutes } from "../src/changes";
import { createFilesRoutes } from "../src/files";
import { appWith, auth, fakeSessions, git, registry } from "../tests/files/app";

const SID = "11111111-1111-4111-8111-111111111111";
const base = mkdtempSync(join(tmpdir(), "opendray-bench-ws-"));

async function median(runs: number, f: () => Promise<void>) {
  await f(); // warm the page cache and the JIT
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    await f();
    times.push(performance.now() - t0);
  }
  return times.sort((a, b) => a - b)[Math.floor(times.length / 2)] as number;
}

function report(what: string, ms: number, budget: number) {
  console.log(
    `${what.padEnd(52)} ${ms.toFixed(1).padStart(8)} ms   (budget ${budget} ms) ${ms <= budget ? "ok" : "OVER"}`,
  );
  return ms <= budget;
}

let ok = true;
try {
  const big = join(base, "big");
  mkdirSync(big);
  for (let i = 0; i < 10_000; i++) writeFileSync(join(big, `file-${i}.txt`), "x");
  const repo = join(base, "repo");
  mkdirSync(join(repo, "src"), { recursive: true });
  for (let i = 0; i < 1000; i++)
    writeFileSync(
      join(repo, "src", `m${i}.ts`),
      Array.from({ length: 40 }, (_, j) => `export const v${j} = ${j};`).join("\n"),
    );
  git(repo, "init", "-q");
  git(repo, "add", "-A");
  git(repo, "commit", "-q", "-m", "init");
  for (let i = 0; i < 1000; i++)
    writeFileSync(
      join(repo, "src", `m${i}.ts`),
      Array.from({ length: 40 }, (_, j) => `export const v${j} = ${j * 2};`).join("\n"),
    );
  const corpus = join(base, "corpus");
  mkdirSync(corpus);
  const line = `${"lorem ipsum dolor sit amet consectetur ".repeat(2)}\n`;
  const chunk = line.repeat(Math.ceil((100 * 1024) / line.length));
  for (let i = 0; i < 512; i++)
    writeFileSync(join(corpus, `doc-${i}.txt`), i === 400 ? `${chunk}needle-in-the-haystack\n` : chunk);

  const sessions = {
    ...fakeSessions({ [SID]: big }),
    async input() {
      return { applied: true };
    },
  };
  const cwds: Record<string, string> = { big, repo, corpus };
  let cwd = big;
  sessions.diffInfo = async () => ({ cwd, baseline: null });
  const { call } = appWith(
    createFilesRoutes({ auth, registry: registry(), sessions }),
    createChangesRoutes({ auth, registry: registry(), sessions }),
  );

  cwd = cwds.big as string;
  const list = await median(5, async () => {
    const r = await call("GET", `/api/files/list?sessionId=${SID}&path=`);
    if (r.body.entries.length !== 10_000) throw new Error(`listed ${r.body.entries.length}`);
  });
  ok = report("list a 10 000-entry folder", list, 100) && ok;

  cwd = cwds.repo as string;
  const changes = await median(3, async () => {
    const r = await call("GET", `/api/sessions/${SID}/changes?mode=working&limit=1000`);
    if (r.body.total !== 1000 || !r.body.files[999].hunks) throw new Error(`changes: ${r.body.total}`);
  });
  ok = report("changes of a 1 000-file diff (all hunks, one page)", changes, 1000) && ok;

  cwd = cwds.corpus as string;
  const search = await median(5, async () => {
    const r = await call("GET", `/api/files/search?sessionId=${SID}&q=needle-in-the-haystack&mode=content`);
    if (r.body.hits.length !== 1 || r.body.engine !== "ripgrep") throw new Error(`search: ${JSON.stringify(r.body)}`);
  });
  ok = report("content search over 50 MB (ripgrep)", search, 1000) && ok;
} finally {
  rmSync(base, { recursive: true, force: true });
}
process.exit(ok ? 0 : 1);

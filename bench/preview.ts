/**
 * The preview proxy's cost: a small GET through an origin-mode preview against the same GET straight
 * to the dev server (p50 overhead, target ≤ 1 ms), and a 100 MB download both ways (target ≥ 0.8×
 * direct throughput: the median ratio of back-to-back pairs), with OpenDray's CPU time per proxied
 * 100 MB and the load average (other work on the machine moves the ratio; the CPU time it does not).
 * The upstream runs inside a terminal session of a real server, as a dev server would; for
 * comparison the same upstream also runs as a plain child of this script (opened through
 * preview.allow_ports). Then, where installed, socat and haproxy on the same upstream and client:
 * what any proxy gets on this machine (REFERENCE=0 skips them).   bun bench/preview.ts
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { waitFor } from "../tests/harness";
import { benchServer, fmt, percentile } from "./common";

/** utime + stime of a process, in clock ticks (10 ms on Linux). */
const cpuTicksOf = (pid: number) => {
  const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]?.split(" ") ?? [];
  return Number(fields[11]) + Number(fields[12]);
};

const SIZE = 100 * 1024 * 1024;
const ROUNDS = 2000;
const PAIRS = 9;

const dir = mkdtempSync(join(tmpdir(), "opendray-bench-preview-"));
const script = join(dir, "upstream.ts");
writeFileSync(
  script,
  `const chunk = new Uint8Array(1024 * 1024).fill(97);
const server = Bun.serve({ hostname: "127.0.0.1", port: 0, fetch(req) {
  if (new URL(req.url).pathname !== "/big") return new Response("ok");
  let left = ${SIZE / (1024 * 1024)};
  return new Response(new ReadableStream({ type: "direct", async pull(c) { while (left-- > 0) { c.write(chunk); await c.flush(); } c.close(); } }), { headers: { "content-length": "${SIZE}" } });
} });
console.log("upstream on http://127.0.0.1:" + server.port + "/");
`,
);

// The comparison upstream, started first so its port can go in preview.allow_ports.
const plain = Bun.spawn([process.execPath, script], { stdout: "pipe" });
const plainPort = Number(/:(\d+)\//.exec(new TextDecoder().decode((await plain.stdout.getReader().read()).value))?.[1]);
const server = await benchServer({
  env: { PREVIEW_PORT_RANGE: "28650-28699", PREVIEW_ALLOW_PORTS: String(plainPort) },
});

const latency = async (base: string, headers: Record<string, string>) => {
  const times: number[] = [];
  for (let i = 0; i < ROUNDS; i++) {
    const t0 = performance.now();
    const r = await fetch(`${base}/small`, { headers });
    await r.arrayBuffer();
    times.push(performance.now() - t0);
  }
  return times.slice(ROUNDS / 10);
};
const download = async (base: string, headers: Record<string, string>) => {
  const t0 = performance.now();
  const r = await fetch(`${base}/big`, { headers });
  let bytes = 0;
  for await (const c of r.body as ReadableStream<Uint8Array>) bytes += c.length;
  if (bytes !== SIZE) throw new Error(`got ${bytes} bytes of ${SIZE}`);
  return SIZE / 1024 / 1024 / ((performance.now() - t0) / 1000);
};

async function measure(label: string, sessionId: string, port: number) {
  const opened = await server.api("/api/preview", { method: "POST", json: { sessionId, port } });
  if (opened.status !== 201) throw new Error(`preview not opened: ${JSON.stringify(opened.body)}`);
  const exchange = await fetch(opened.body.url, { redirect: "manual" });
  const cookie = (exchange.headers.get("set-cookie") ?? "").split(";")[0] ?? "";
  const direct = `http://127.0.0.1:${port}`;
  const proxied = new URL(opened.body.url).origin;
  const d = await latency(direct, {});
  const p = await latency(proxied, { cookie });
  const overhead = percentile(p, 50) - percentile(d, 50);
  console.log(`[${label}]`);
  console.log(
    `  small GET p50: direct ${fmt(percentile(d, 50), 3)} ms, through the preview ${fmt(percentile(p, 50), 3)} ms, overhead ${fmt(overhead, 3)} ms (target ≤ 1 ms)`,
  );
  console.log(
    `  small GET p99: direct ${fmt(percentile(d, 99), 3)} ms, through the preview ${fmt(percentile(p, 99), 3)} ms`,
  );
  // Back-to-back pairs, the ratio of each pair, the median of those: other load on the machine moves
  // both halves of a pair alike, where "best of N" of each side compares different moments.
  const ratios: number[] = [];
  const rates = { direct: [] as number[], proxied: [] as number[] };
  let cpuTicks = 0;
  const viaPreview = async () => {
    const before = cpuTicksOf(server.pid());
    const rate = await download(proxied, { cookie });
    cpuTicks += cpuTicksOf(server.pid()) - before;
    return rate;
  };
  for (let i = 0; i < PAIRS; i++) {
    // Which half goes first alternates, so neither always runs on a warmer machine.
    const first = i % 2 ? await viaPreview() : await download(direct, {});
    const second = i % 2 ? await download(direct, {}) : await viaPreview();
    const [d, p] = i % 2 ? [second, first] : [first, second];
    rates.direct.push(d);
    rates.proxied.push(p);
    ratios.push(p / d);
  }
  const ratio = percentile(ratios, 50);
  console.log(
    `  100 MB download (median of ${PAIRS} pairs): direct ${fmt(percentile(rates.direct, 50), 0)} MB/s, through the preview ${fmt(percentile(rates.proxied, 50), 0)} MB/s, ratio ${fmt(ratio)} (target ≥ 0.8)`,
  );
  console.log(`  OpenDray's CPU per proxied 100 MB: ${fmt((cpuTicks * 10) / PAIRS, 0)} ms`);
  return overhead <= 1 && ratio >= 0.8;
}

/** Back-to-back pairs against direct, as above, through another proxy: what this machine allows a proxy. */
async function referenceProxy(label: string, argv: string[], port: number) {
  const proc = Bun.spawn(argv, { stdout: "ignore", stderr: "ignore" });
  try {
    const base = `http://127.0.0.1:${port}`;
    await waitFor(
      () =>
        fetch(`${base}/small`).then(
          (r) => r.ok,
          () => false,
        ),
      label,
    );
    const ratios: number[] = [];
    for (let i = 0; i < PAIRS; i++) {
      const d = await download(`http://127.0.0.1:${plainPort}`, {});
      ratios.push((await download(base, {})) / d);
    }
    console.log(`  ${label.padEnd(44)} ratio ${fmt(percentile(ratios, 50))}`);
  } finally {
    proc.kill();
    await proc.exited;
  }
}

/** socat and haproxy (C, one process each), where installed, on the plain child's upstream. */
async function referenceProxies() {
  console.log("[other proxies, same upstream (plain child) and client, median of pairs against direct]");
  const found = (bin: string) => Bun.which(bin, { PATH: `${process.env.PATH}:/usr/sbin` });
  const socat = found("socat");
  if (socat)
    await referenceProxy(
      "socat (TCP forward, no HTTP)",
      [socat, "TCP-LISTEN:28700,fork,reuseaddr", `TCP:127.0.0.1:${plainPort}`],
      28700,
    );
  const haproxy = found("haproxy");
  if (!haproxy) return void console.log("  haproxy not installed (apt-get install haproxy) — skipped");
  for (const [label, port, extra] of [
    ["haproxy (HTTP mode)", 28701, ""],
    ["haproxy (HTTP mode, kernel splice)", 28702, "  option splice-auto\n  option splice-response\n"],
  ] as const) {
    const cfg = join(dir, `haproxy-${port}.cfg`);
    writeFileSync(
      cfg,
      `defaults\n  mode http\n  timeout connect 5s\n  timeout client 30s\n  timeout server 30s\nfrontend f\n  bind 127.0.0.1:${port}\n  default_backend b\nbackend b\n${extra}  server s 127.0.0.1:${plainPort}\n`,
    );
    await referenceProxy(label, [haproxy, "-f", cfg], port);
  }
}

const load = () =>
  loadavg()
    .map((l) => fmt(l))
    .join(", ");
try {
  console.log(`load average at the start: ${load()}`);
  const s = await server.api("/api/sessions", {
    method: "POST",
    json: { sessionType: "terminal", cwd: dir, extraArgs: ["-c", `exec ${process.execPath} ${script}`] },
  });
  const sessionId = s.body.id as string;
  const ports = await waitFor(async () => {
    const r = await server.api(`/api/preview/ports?sessionId=${sessionId}`);
    return r.body.length ? r.body : null;
  }, "the upstream's port");
  const inSession = await measure("upstream in a terminal session", sessionId, ports[0].port);
  const plainOk = await measure("upstream as a plain child of the bench", sessionId, plainPort);
  if (process.env.REFERENCE !== "0") await referenceProxies();
  console.log(`load average at the end: ${load()}`);
  if (!inSession || !plainOk) process.exitCode = 1;
} finally {
  plain.kill();
  await server.stop();
  rmSync(dir, { recursive: true, force: true });
}

import { afterAll, describe, expect, test } from "bun:test";
import { mkdtempSync, rmSync } from "node:fs";
import { networkInterfaces, tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { renderUnicodeCompact } from "uqr";
import { freePort, killProgramsUnder, MAIN, removePgCluster, shutdownPtyHost, waitFor } from "../harness";
import { selfSignedCert } from "../self-signed";

const lan = Object.values(networkInterfaces())
  .flat()
  .filter((a) => a && a.family === "IPv4" && !a.internal)
  .map((a) => a?.address as string);

const procs: Bun.Subprocess[] = [];
const homes: string[] = [];
afterAll(async () => {
  for (const p of procs) {
    p.kill("SIGTERM");
    await p.exited;
  }
  for (const h of homes) {
    await shutdownPtyHost(h);
    killProgramsUnder(h);
    removePgCluster(h);
    rmSync(dirname(h), { recursive: true, force: true });
  }
});

describe("open it on your phone: a network listen with built-in HTTPS", () => {
  test("prints the login link for each reachable address with a QR code, served over TLS by the server itself", async () => {
    const dir = mkdtempSync(join(tmpdir(), "od-tls-"));
    const home = join(dir, "home");
    homes.push(home);
    const { cert, key, certPem: ca } = selfSignedCert(dir, ["127.0.0.1", ...lan]);
    const port = await freePort();
    let out = "";
    const proc = Bun.spawn([process.execPath, MAIN], {
      env: {
        ...process.env,
        OPENDRAY_HOME: home,
        LISTEN_ADDR: `0.0.0.0:${port}`,
        JWT_SECRET: "a-test-secret-that-is-long-enough-for-jwt-0123456789",
        TLS_CERT_FILE: cert,
        TLS_KEY_FILE: key,
        ADMIN_USERNAME: "",
        ADMIN_PASSWORD: "",
        LOG_LEVEL: "warn",
      },
      stdio: ["ignore", "pipe", "pipe"],
    });
    procs.push(proc);
    void (async () => {
      for await (const chunk of proc.stdout) out += new TextDecoder().decode(chunk);
    })();
    const urls = ["127.0.0.1", ...lan].map((h) => `https://${h}:${port}`);
    const codes = await waitFor(
      () => {
        const found = urls.map((u) => new RegExp(`${u.replaceAll(".", "\\.")}/login#code=([\\w-]+)`).exec(out)?.[1]);
        return found.every(Boolean) ? found : undefined;
      },
      "a login link per address",
      60_000,
    );
    const code = codes[0] as string;
    expect(new Set(codes).size).toBe(1);
    // A QR code of each address beyond this machine, the very link a phone's camera opens.
    for (const u of urls.slice(1)) {
      expect(out).toContain(`Scan to open ${u} on your phone:`);
      expect(out).toContain(renderUnicodeCompact(`${u}/login#code=${code}`, { border: 2 }));
    }
    expect(out).not.toContain("need HTTPS");

    const tls = { ca };
    const health = await fetch(`https://127.0.0.1:${port}/api/health`, { tls });
    expect(health.ok).toBe(true);
    const plain = await fetch(`http://127.0.0.1:${port}/api/health`).then(
      (r) => r.status,
      () => "refused",
    );
    expect(plain).not.toBe(200);
    const via = lan[0] ? `https://${lan[0]}:${port}` : `https://127.0.0.1:${port}`;
    const signIn = await fetch(`${via}/api/auth/one-time`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ code }),
      tls,
    });
    expect(signIn.status).toBe(200);
    const { token } = (await signIn.json()) as { token: string };
    const sessions = await fetch(`${via}/api/sessions`, { headers: { authorization: `Bearer ${token}` }, tls });
    expect(sessions.status).toBe(200);
    const app = await fetch(`${via}/login`, { tls });
    expect(app.status).toBe(200);
  }, 120_000);
});

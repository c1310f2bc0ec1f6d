import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startServer, type TestServer, waitFor } from "../harness";
import { SessionSocket } from "../ws-client";

let server: TestServer;
const cwd = mkdtempSync(join(tmpdir(), "od-hostlost-"));
const pluginDir = mkdtempSync(join(tmpdir(), "od-hostlost-plugins-"));

beforeAll(async () => {
  // A user agent that can resume: its first start says "fresh:<id>", a resume says "resumed:<id>";
  // both then echo what is typed (cat).
  mkdirSync(join(pluginDir, "resumer"));
  writeFileSync(
    join(pluginDir, "resumer", "manifest.json"),
    JSON.stringify({
      name: "resumer",
      kind: "agent",
      cliSpec: { command: "sh", modelFlag: null },
      capabilities: { supportsResume: true, supportsStream: true, supportsMcp: false },
      resume: {
        strategy: "mint",
        startArgs: ["-c", "echo fresh:{id}; exec cat"],
        resumeArgs: ["-c", "echo resumed:{id}; exec cat"],
      },
    }),
  );
  server = await startServer({ env: { AUTO_RESUME: "true", PLUGIN_DIR: pluginDir } });
});
afterAll(() => server?.stop());

/** The PTY host running a session: the parent of the session's process. */
function hostPidOf(sessionPid: number): number {
  const status = readFileSync(`/proc/${sessionPid}/status`, "utf8");
  return Number(/^PPid:\s+(\d+)/m.exec(status)?.[1]);
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return !/^State:\s+Z/m.test(readFileSync(`/proc/${pid}/status`, "utf8"));
  } catch {
    return false;
  }
}

async function buffer(id: string) {
  const r = await fetch(`${server.url}/api/sessions/${id}/buffer?since=0`, {
    headers: { authorization: `Bearer ${server.token}` },
  });
  return { text: await r.text(), cursor: Number(r.headers.get("x-opendray-cursor")) };
}

/** kill -9 of the PTY host; resolves with the moment it was sent. */
async function killHost(sessionId: string): Promise<{ hostPid: number; at: number }> {
  const s = (await server.api(`/api/sessions/${sessionId}`)).body;
  const hostPid = hostPidOf(s.pid);
  expect(readFileSync(`/proc/${hostPid}/cmdline`, "utf8")).toContain("ptyd");
  process.kill(hostPid, "SIGKILL");
  return { hostPid, at: Date.now() };
}

describe("the PTY host dies", () => {
  test("kill -9 while a terminal prints: within a second the session is exited (host-lost) and keeps its output", async () => {
    const r = await server.api("/api/sessions", {
      method: "POST",
      json: {
        cwd,
        sessionType: "terminal",
        extraArgs: ["-c", "trap '' HUP; i=0; while :; do i=$((i+1)); echo n=$i; sleep 0.005; done"],
      },
    });
    expect(r.status).toBe(201);
    const id = r.body.id as string;
    const ws = new SessionSocket(server.url, id, server.token);
    await ws.until((w) => /n=50\r?\n/.test(w.text), "the counter to print");
    const before = (await server.api(`/api/sessions/${id}`)).body.cursor as number;
    const seen = ws.text;

    const shellPid = (await server.api(`/api/sessions/${id}`)).body.pid as number;
    const { hostPid, at } = await killHost(id);
    const exited = await waitFor(
      async () => {
        const s = (await server.api(`/api/sessions/${id}`)).body;
        return s.status === "exited" ? s : null;
      },
      "the session to be reported exited",
      5000,
      10,
    );
    expect(Date.now() - at).toBeLessThan(1000);
    expect(exited.exitReason).toBe("host-lost");
    expect(exited.pid).toBeNull();
    expect(exited.cursor).toBeGreaterThanOrEqual(before);
    // what ran on the lost terminal does not live on, unreachable
    await waitFor(() => !alive(shellPid), "the session's process to end", 3000);

    // the attached client is told, with the reason
    await ws.until((w) => w.messages.some((m) => m.type === "exit"), "the exit frame", 1000);
    expect(ws.messages.find((m) => m.type === "exit")).toEqual({ type: "exit", code: null, reason: "host-lost" });

    // the output mirrored before the death is still served, from a cursor that did not go back
    const kept = await buffer(id);
    expect(kept.text.startsWith(seen)).toBe(true);
    expect(kept.cursor).toBeGreaterThanOrEqual(before);
    expect(kept.cursor).toBe(exited.cursor);

    // input is refused, over REST and over the socket
    const input = await server.api(`/api/sessions/${id}/input`, { method: "POST", json: { input: "echo hi\r" } });
    expect(input.status).toBe(409);
    ws.send({ type: "input", data: "echo hi\r", id: "after-death" });
    await ws.until((w) => w.messages.some((m) => m.type === "error" && m.id === "after-death"), "input refused");
    ws.close();

    // a terminal cannot resume: it stays exited, listed with its reason
    await Bun.sleep(300);
    const listed = (await server.api("/api/sessions")).body.find((s: { id: string }) => s.id === id);
    expect(listed.status).toBe("exited");
    expect(listed.exitReason).toBe("host-lost");

    // a new session runs on a new host
    const fresh = await server.api("/api/sessions", {
      method: "POST",
      json: { cwd, sessionType: "terminal", extraArgs: ["-c", "echo on-new-host; exec cat"] },
    });
    expect(fresh.status).toBe(201);
    expect(fresh.body.status).toBe("running");
    const newHost = hostPidOf(fresh.body.pid);
    expect(newHost).not.toBe(hostPid);
    expect(alive(newHost)).toBe(true);
    await waitFor(async () => (await buffer(fresh.body.id)).text.includes("on-new-host"), "output on the new host");
    expect(alive(hostPid)).toBe(false);

    // the mirrored output was saved: a restarted server still serves it
    await server.kill9();
    await server.restart();
    const afterRestart = await buffer(id);
    expect(afterRestart.text).toBe(kept.text);
    expect(afterRestart.cursor).toBe(kept.cursor);
    const row = (await server.api(`/api/sessions/${id}`)).body;
    expect(row.exitReason).toBe("host-lost");
    expect(row.cursor).toBe(kept.cursor);
    await server.api(`/api/sessions/${fresh.body.id}/stop`, { method: "POST" });
  });

  test("AUTO_RESUME: a resumable agent lost with its host comes back on a new host, resumed, on the same socket", async () => {
    const r = await server.api("/api/sessions", { method: "POST", json: { cwd, sessionType: "resumer" } });
    expect(r.status).toBe(201);
    const id = r.body.id as string;
    const resumeId = r.body.resumeId as string;
    expect(resumeId).toMatch(/^[0-9a-f-]{36}$/);
    const ws = new SessionSocket(server.url, id, server.token);
    await ws.until((w) => w.text.includes(`fresh:${resumeId}`), "the agent's first start");
    ws.send("one\r");
    await ws.until((w) => /one\r\n(.|\r|\n)*one/.test(w.text), "the agent to echo");
    const before = (await server.api(`/api/sessions/${id}`)).body.cursor as number;

    const { hostPid } = await killHost(id);
    await ws.until((w) => w.messages.some((m) => m.type === "exit" && m.reason === "host-lost"), "exit", 1000);
    await ws.until((w) => w.text.includes(`resumed:${resumeId}`), "the agent to come back resumed", 15_000);
    await ws.until((w) => w.messages.some((m) => m.type === "running"), "the socket to hear it runs again");

    const back = (await server.api(`/api/sessions/${id}`)).body;
    expect(["running", "idle"]).toContain(back.status);
    expect(back.exitReason).toBeNull();
    expect(back.resumeId).toBe(resumeId);
    expect(back.cursor).toBeGreaterThan(before);
    expect(hostPidOf(back.pid)).not.toBe(hostPid);
    // the output before the death and after the resume is one stream
    const { text } = await buffer(id);
    expect(text.indexOf(`fresh:${resumeId}`)).toBeLessThan(text.indexOf(`resumed:${resumeId}`));

    ws.send("two\r");
    await ws.until((w) => /two\r\n(.|\r|\n)*two/.test(w.text), "input to reach the resumed agent");
    const stopped = await server.api(`/api/sessions/${id}/stop`, { method: "POST" });
    expect(stopped.body.session.status).toBe("exited");
    expect(stopped.body.session.exitReason).toBe("stopped");
    await ws.until((w) => w.messages.some((m) => m.type === "exit" && m.reason === "stopped"), "the stop's exit frame");
    ws.close();
  });
});

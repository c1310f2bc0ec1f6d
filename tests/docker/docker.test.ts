import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { copyFileSync, existsSync, mkdtempSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { freePort, waitFor } from "../harness";
import { SessionSocket } from "../ws-client";
import {
  BASE,
  buildArgs,
  engineEnv,
  ensureBase,
  hasPodman,
  mustRun,
  pinnedVersions,
  podman,
  RUN_ID,
  RUN_LABEL,
  removeRunLeftovers,
  run,
  WRAPPER,
} from "./engine";

// Real images, built by scripts/opendray-docker with podman (CI installs podman and mmdebstrap). Where
// podman is missing, bun test lists this block as skipped.
const IMAGE = "localhost/opendray-test:latest";
const IMAGE_FULL = "localhost/opendray-test:latest-full";
/** `-deps` and `-agents`: the stages the next run's builds reuse. */
const CACHE = "localhost/opendray-test:cache";
const USERNAME = "admin";
const PASSWORD = "correct-horse-battery";
const work = mkdtempSync(join(tmpdir(), "opendray-docker-"));
const buildSeconds: Record<string, number> = {};

interface Instance {
  project: string;
  port: number;
  envFile: string;
  url: string;
  env: Record<string, string>;
  wrapper(args: string[], stdin?: string): ReturnType<typeof run>;
  login(): Promise<string>;
}
const instances: Instance[] = [];

async function instance(name: string, image: string): Promise<Instance> {
  const port = await freePort();
  const project = `odt-${process.pid}-${name}`;
  const env = {
    OPENDRAY_ENV_FILE: join(work, `${name}.env`),
    OPENDRAY_DOCKER_PROJECT: project,
    OPENDRAY_IMAGE: image,
    OPENDRAY_HTTP_PORT: String(port),
    OPENDRAY_WORKSPACE: join(work, `${name}-workspace`),
    OPENDRAY_DOCKER_WAIT: "240",
  };
  const url = `http://127.0.0.1:${port}`;
  const inst: Instance = {
    project,
    port,
    envFile: env.OPENDRAY_ENV_FILE,
    url,
    env,
    wrapper: (args, stdin) => run([WRAPPER, ...args], env, stdin),
    async login() {
      const r = await fetch(`${url}/api/auth/login`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ username: USERNAME, password: PASSWORD }),
      });
      expect(r.status).toBe(200);
      return ((await r.json()) as { token: string }).token;
    },
  };
  instances.push(inst);
  return inst;
}

const setEnv = (file: string, key: string, value: string) =>
  writeFileSync(file, readFileSync(file, "utf8").replace(new RegExp(`^${key}=.*$`, "m"), `${key}=${value}`));

const imageId = async (image: string) =>
  (await podman(["image", "inspect", image, "--format", "{{.Id}}"])).stdout.trim();

/** Builds a tag; when the tag moved, the last run's image would stay behind untagged (2 GB a run). */
async function retag(image: string, make: () => Promise<unknown>) {
  const previous = await imageId(image);
  await make();
  const built = await imageId(image);
  if (previous && previous !== built) await podman(["image", "rm", previous]);
}

async function build(target: "opendray" | "opendray-full", image: string) {
  const started = performance.now();
  // The stages whose results only a COPY --from reads, tagged so the leftover sweep keeps them as the cache.
  const cache = target === "opendray" ? "deps" : "agents";
  const args = await buildArgs();
  await retag(`${CACHE}-${cache}`, () =>
    mustRun(
      ["podman", "build", "-f", "Dockerfile", "--target", cache, "-t", `${CACHE}-${cache}`, "--format", "docker"]
        .concat(["--build-arg", `BASE=${BASE}`], args.split(" "), ["."])
        .filter(Boolean),
    ),
  );
  await retag(image, () =>
    mustRun([WRAPPER, "build"], {
      OPENDRAY_ENV_FILE: join(work, "build.env"),
      OPENDRAY_DOCKER_TARGET: target,
      OPENDRAY_IMAGE: image,
      OPENDRAY_DOCKER_BASE: BASE,
      OPENDRAY_DOCKER_BUILD_ARGS: args,
    }),
  );
  buildSeconds[target] = Math.round((performance.now() - started) / 1000);
}

async function api(inst: Instance, token: string, path: string, init: RequestInit & { json?: unknown } = {}) {
  const headers = new Headers(init.headers);
  headers.set("authorization", `Bearer ${token}`);
  if (init.json !== undefined) headers.set("content-type", "application/json");
  const r = await fetch(`${inst.url}${path}`, {
    ...init,
    headers,
    body: init.json !== undefined ? JSON.stringify(init.json) : init.body,
  });
  return { status: r.status, body: (await r.json()) as any };
}

describe.if(hasPodman)("Docker: the images and scripts/opendray-docker (podman)", () => {
  let a: Instance;
  let sessionId = "";

  beforeAll(async () => {
    await ensureBase();
    await build("opendray", IMAGE);
    await build("opendray-full", IMAGE_FULL);
    const left = await removeRunLeftovers();
    console.log(
      `docker tests: image builds took ${buildSeconds.opendray} s (opendray) and ${buildSeconds["opendray-full"]} s (opendray-full); ${left.length} untagged images of the build removed`,
    );
  }, 60 * 60_000);

  afterAll(async () => {
    for (const inst of instances) {
      await inst.wrapper(["down"]);
      await podman(["volume", "rm", "-f", `${inst.project}-data`, `${inst.project}-home`]);
    }
    // Again, for a build that failed half-way.
    await removeRunLeftovers();
  }, 120_000);

  test("the leftover sweep removes the untagged stage images this run built and keeps another run's", async () => {
    const dir = mkdtempSync(join(work, "sweep-"));
    writeFileSync(
      join(dir, "Dockerfile"),
      `FROM ${BASE} AS stage\nARG X\nRUN echo "$X" > /x\nFROM ${BASE}\nCOPY --from=stage /x /x\n`,
    );
    // The stage's result is what only COPY --from reads: untagged and childless once the build ends.
    const stageOf = async (x: string, label: string) => {
      const r = await mustRun(["podman", "build", "--build-arg", `X=${x}`, "--label", `${RUN_LABEL}=${label}`, dir]);
      const ids = [...r.stdout.matchAll(/^--> ([0-9a-f]{11,})/gm)].map((m) => m[1] as string);
      return { stage: ids.at(-3) as string, final: r.stdout.trim().split("\n").at(-1) as string };
    };
    const x = `${RUN_ID}-${Math.random()}`;
    const ours = await stageOf(`ours-${x}`, RUN_ID);
    const theirs = await stageOf(`theirs-${x}`, "another-run");
    const exists = async (id: string) => (await podman(["image", "exists", id])).code === 0;
    expect([await exists(ours.stage), await exists(theirs.stage)]).toEqual([true, true]);
    await podman(["tag", ours.final, "localhost/opendray-sweep-test:ours"]);
    try {
      const removed = await removeRunLeftovers();
      expect(removed.some((id) => id.startsWith(ours.stage))).toBe(true);
      expect(await exists(ours.stage)).toBe(false);
      expect(await exists(theirs.stage)).toBe(true);
      expect(await exists("localhost/opendray-sweep-test:ours")).toBe(true);
      expect(await exists(BASE)).toBe(true);
    } finally {
      await podman(["rmi", "-i", "localhost/opendray-sweep-test:ours", ours.stage, theirs.stage, theirs.final]);
    }
  });

  test("the full image has every agent CLI at the version the tests pin, plus ripgrep and ssh", async () => {
    for (const [cmd, version] of Object.entries(pinnedVersions())) {
      const r = await podman(["run", "--rm", "--user", "opendray", "--entrypoint", cmd, IMAGE_FULL, "--version"]);
      expect(r.code, `${cmd} --version: ${r.stderr}`).toBe(0);
      expect(r.stdout).toContain(version);
    }
    const tools = await podman([
      "run",
      "--rm",
      "--entrypoint",
      "sh",
      IMAGE_FULL,
      "-c",
      "rg --version && ssh -V && git --version && tini --version",
    ]);
    expect(tools.code, tools.stderr).toBe(0);
  });

  test("both images declare a health check on /api/health, the ports and the volumes", async () => {
    for (const image of [IMAGE, IMAGE_FULL]) {
      const r = await podman(["image", "inspect", image, "--format", "{{json .Config}}"]);
      const config = JSON.parse(r.stdout) as {
        Volumes: Record<string, unknown>;
        ExposedPorts: Record<string, unknown>;
        Env: string[];
      };
      // podman keeps it beside the OCI config (it builds with --format docker to keep it at all)
      const hc = await podman(["image", "inspect", image, "--format", "{{json .Config.Healthcheck}}"]);
      expect((JSON.parse(hc.stdout) as { Test: string[] }).Test.join(" ")).toContain("/api/health");
      expect(Object.keys(config.Volumes).sort()).toEqual(["/data", "/home/opendray"]);
      expect(Object.keys(config.ExposedPorts)).toEqual(["8640/tcp"]);
      expect(config.Env).toContain("OPENDRAY_HOME=/data");
    }
  });

  test("the first up writes .env and stops; the next one serves /api/health from a fresh volume", async () => {
    a = await instance("a", IMAGE_FULL);
    const first = await a.wrapper(["up"]);
    expect(first.code).toBe(1);
    expect(first.stderr).toContain(`wrote ${a.envFile}`);
    expect(statSync(a.envFile).mode & 0o777).toBe(0o600);
    const envText = readFileSync(a.envFile, "utf8");
    expect(envText).toMatch(/^JWT_SECRET=[A-Za-z0-9]{48}$/m);
    setEnv(a.envFile, "ADMIN_PASSWORD", PASSWORD);

    const up = await a.wrapper(["up"]);
    expect(up.code, up.stderr).toBe(0);
    expect(up.stdout).toContain(`OpenDray is up: http://127.0.0.1:${a.port}`);
    const health = (await (await fetch(`${a.url}/api/health`)).json()) as { status: string };
    expect(health.status).toBe("ok");
    // Published on loopback only, and the secret is not on the container's command line.
    const ports = await podman(["port", a.project]);
    expect(ports.stdout.trim()).toBe(`8640/tcp -> 127.0.0.1:${a.port}`);
    const inspect = await podman(["inspect", a.project, "--format", "{{json .Config.Cmd}} {{json .Args}}"]);
    expect(inspect.stdout).not.toContain(envText.match(/^JWT_SECRET=(.*)$/m)?.[1] ?? "none");
    // The image's own health check command answers too.
    const hc = await podman([
      "exec",
      a.project,
      "sh",
      "-c",
      // biome-ignore lint/suspicious/noTemplateCurlyInString: the shell expands it, in the container
      'curl -fsS "http://127.0.0.1:${LISTEN_ADDR##*:}/api/health"',
    ]);
    expect(hc.code).toBe(0);
  });

  test("a Terminal session in the container shows its output over the WebSocket, as the PUID user", async () => {
    const token = await a.login();
    const created = await api(a, token, "/api/sessions", {
      method: "POST",
      json: { name: "docker-shell", sessionType: "terminal", cwd: "/workspace" },
    });
    expect(created.status).toBe(201);
    sessionId = created.body.id;
    const ws = new SessionSocket(a.url, sessionId, token);
    await ws.until((s) => s.replayDone && s.text.length > 0, "the shell's prompt", 30_000);
    ws.send({ type: "input", data: 'echo "uid=$(id -u) in=$PWD m-$((6*7))"\r', id: "1" });
    await ws.until((s) => s.text.includes("m-42"), "the command's output", 30_000);
    expect(ws.text).toContain("uid=1000 in=/workspace m-42");
    ws.close();
  });

  test("doctor passes: opendray doctor, each CLI and its version, writable logins, Codex's sandbox", async () => {
    const r = await a.wrapper(["doctor"]);
    expect(r.code, `${r.stdout}\n${r.stderr}`).toBe(0);
    expect(r.stdout).toContain("OK    database  bundled PostgreSQL");
    for (const [cmd, version] of Object.entries(pinnedVersions()))
      expect(r.stdout).toMatch(new RegExp(`OK    ${cmd}: .*${version.replaceAll(".", "\\.")}`));
    expect(r.stdout).toMatch(/OK {4}codex sandbox: /);
    expect(r.stdout).not.toContain("FAIL");
  });

  test("login claude shows Claude's sign-in URL and asks for the code; onboarding is marked done in the kept home", async () => {
    // login is interactive: give it a terminal with script(1), read until Claude asks for the code.
    const proc = Bun.spawn(["script", "-qec", `${WRAPPER} login claude`, "/dev/null"], {
      env: { ...(process.env as Record<string, string>), ...engineEnv(), ...a.env },
      stdin: "pipe",
      stdout: "pipe",
      stderr: "pipe",
    });
    let out = "";
    const reader = (async () => {
      for await (const chunk of proc.stdout) out += new TextDecoder().decode(chunk);
    })();
    try {
      await waitFor(() => out.includes("Paste code"), "Claude's code prompt", 60_000, 100);
    } finally {
      proc.kill("SIGKILL");
      await reader.catch(() => {});
    }
    expect(out).toContain("open the URL it shows");
    expect(out).toMatch(/https:\/\/\S+\/oauth\/authorize\?/);

    const marked = await podman(["exec", "--user", "opendray", a.project, "claude-onboarded"]);
    expect(marked.code, marked.stderr).toBe(0);
    // The home volume outlives the container: down, up, and Claude's state is still there.
    expect((await a.wrapper(["down"])).code).toBe(0);
    expect((await a.wrapper(["up"])).code).toBe(0);
    const state = await podman(["exec", "--user", "opendray", a.project, "cat", "/home/opendray/.claude.json"]);
    expect(JSON.parse(state.stdout)).toMatchObject({
      hasCompletedOnboarding: true,
      lastOnboardingVersion: pinnedVersions().claude,
    });
  });

  test("backup, then restore into a fresh volume, keeps the admin and the sessions' records", async () => {
    const file = join(work, "backup.tar.gz");
    const backup = await a.wrapper(["backup", file]);
    expect(backup.code, backup.stderr).toBe(0);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    await mustRun(["tar", "-tzf", file]);
    expect((await a.wrapper(["down"])).code).toBe(0);

    // b starts from nothing: no admin in its environment, so only the backup can bring it back.
    const b = await instance("b", IMAGE_FULL);
    copyFileSync(a.envFile, b.envFile);
    setEnv(b.envFile, "ADMIN_PASSWORD", "");
    setEnv(b.envFile, "ADMIN_USERNAME", "");
    expect((await podman(["volume", "exists", `${b.project}-data`])).code).toBe(1);
    const restore = await b.wrapper(["restore", file]);
    expect(restore.code, `${restore.stdout}\n${restore.stderr}`).toBe(0);
    expect(restore.stderr).toMatch(/restored \d+ rows into \d+ tables/);
    // Its first start had no admin, so up showed the one-time sign-in link before the restore.
    expect(restore.stdout).toMatch(
      new RegExp(`first sign-in \\(once\\): http://127\\.0\\.0\\.1:${b.port}/login#code=`),
    );

    const token = await b.login();
    const sessions = await api(b, token, "/api/sessions");
    expect(sessions.status).toBe(200);
    const kept = (sessions.body as { id: string; name: string }[]).find((s) => s.id === sessionId);
    expect(kept?.name).toBe("docker-shell");
    expect(existsSync(file)).toBe(true);
  });

  test("where the container has no user namespaces, Providers and doctor say what that means for Codex", async () => {
    // A seccomp profile that refuses new user namespaces, as Docker's default profile does for bubblewrap.
    const profile = join(work, "no-userns.json");
    const newUser = 0x10000000;
    writeFileSync(
      profile,
      JSON.stringify({
        defaultAction: "SCMP_ACT_ALLOW",
        syscalls: [
          { names: ["unshare"], action: "SCMP_ACT_ERRNO", errnoRet: 1 },
          { names: ["clone3"], action: "SCMP_ACT_ERRNO", errnoRet: 38 },
          {
            names: ["clone"],
            action: "SCMP_ACT_ERRNO",
            errnoRet: 1,
            args: [{ index: 0, value: newUser, valueTwo: newUser, op: "SCMP_CMP_MASKED_EQ" }],
          },
        ],
      }),
    );
    const d = await instance("d", IMAGE_FULL);
    d.env.OPENDRAY_DOCKER_RUN_ARGS = `--security-opt seccomp=${profile}`;
    expect((await d.wrapper(["up"])).code).toBe(1);
    setEnv(d.envFile, "ADMIN_PASSWORD", PASSWORD);
    const up = await d.wrapper(["up"]);
    expect(up.code, up.stderr).toBe(0);
    const token = await d.login();
    const codex = await waitFor(
      async () => {
        const r = await api(d, token, "/api/providers");
        return (r.body as { name: string; notice: string | null }[]).find((p) => p.name === "codex" && p.notice);
      },
      "the Codex sandbox notice",
      60_000,
    );
    expect(codex.notice).toContain("cannot create the namespaces");
    const doctor = await d.wrapper(["doctor"]);
    expect(doctor.stdout).toMatch(/(WARN|OK) +codex sandbox: .*(Landlock|danger-full-access)/);
    await d.wrapper(["down"]);
  });

  test("the binary-only image serves on its own volume too", async () => {
    const c = await instance("c", IMAGE);
    expect((await c.wrapper(["up"])).code).toBe(1);
    setEnv(c.envFile, "ADMIN_PASSWORD", PASSWORD);
    const up = await c.wrapper(["up"]);
    expect(up.code, up.stderr).toBe(0);
    await waitFor(async () => (await fetch(`${c.url}/api/health`)).ok, "/api/health", 30_000);
    await c.login();
    const status = await c.wrapper(["status"]);
    expect(status.stdout).toContain("health: ok");
  });
});

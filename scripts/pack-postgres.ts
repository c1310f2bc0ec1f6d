import { lstatSync, readdirSync, readFileSync, readlinkSync, writeFileSync } from "node:fs";
import { join, relative } from "node:path";
import { type ArchiveEntry, encodeArchive } from "../src/store/archive";

/** Files initdb/postgres need at run time; static libraries and pkgconfig stay behind. */
const skip = (rel: string) => rel.endsWith(".a") || rel.includes("pkgconfig") || rel === "pg-symlinks.json";

export function packPostgres(nativeDir: string, outFile: string) {
  const entries: ArchiveEntry[] = [];
  const walk = (dir: string) => {
    for (const name of readdirSync(dir).sort()) {
      const full = join(dir, name);
      const rel = relative(nativeDir, full);
      if (skip(rel)) continue;
      const st = lstatSync(full);
      if (st.isSymbolicLink()) entries.push({ path: rel, mode: 0o777, link: readlinkSync(full) });
      else if (st.isDirectory()) walk(full);
      else entries.push({ path: rel, mode: st.mode & 0o777, data: readFileSync(full) });
    }
  };
  walk(nativeDir);
  writeFileSync(outFile, encodeArchive(entries));
  return entries.length;
}

if (import.meta.main) {
  const [nativeDir, outFile] = process.argv.slice(2);
  if (!nativeDir || !outFile) {
    console.error("usage: bun scripts/pack-postgres.ts <native dir> <out file>");
    process.exit(2);
  }
  console.log(`packed ${packPostgres(nativeDir, outFile)} files into ${outFile}`);
}

import { chmodSync, mkdirSync, symlinkSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";

export interface ArchiveEntry {
  path: string;
  mode: number;
  data?: Uint8Array;
  link?: string;
}

/** gzip( u32 headerLength | JSON header | file bytes… ) — a minimal archive for the Postgres binaries. */
export function encodeArchive(entries: ArchiveEntry[]): Uint8Array {
  const header = new TextEncoder().encode(
    JSON.stringify(entries.map((e) => ({ path: e.path, mode: e.mode, link: e.link, size: e.data?.length ?? 0 }))),
  );
  const total = 4 + header.length + entries.reduce((n, e) => n + (e.data?.length ?? 0), 0);
  const out = new Uint8Array(total);
  new DataView(out.buffer).setUint32(0, header.length);
  out.set(header, 4);
  let offset = 4 + header.length;
  for (const e of entries) {
    if (!e.data) continue;
    out.set(e.data, offset);
    offset += e.data.length;
  }
  return Bun.gzipSync(out, { level: 6 });
}

export function extractArchive(archive: Uint8Array, targetDir: string) {
  const raw = Bun.gunzipSync(archive as Uint8Array<ArrayBuffer>);
  const headerLength = new DataView(raw.buffer, raw.byteOffset).getUint32(0);
  const header = JSON.parse(new TextDecoder().decode(raw.subarray(4, 4 + headerLength))) as {
    path: string;
    mode: number;
    link?: string;
    size: number;
  }[];
  let offset = 4 + headerLength;
  for (const e of header) {
    const target = join(targetDir, e.path);
    mkdirSync(dirname(target), { recursive: true, mode: 0o755 });
    if (e.link) symlinkSync(e.link, target);
    else {
      writeFileSync(target, raw.subarray(offset, offset + e.size) as Uint8Array<ArrayBuffer>);
      chmodSync(target, e.mode);
      offset += e.size;
    }
  }
}

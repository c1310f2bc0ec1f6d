// Replaced by scripts/build.ts for a compiled binary; from source the binaries come from node_modules.
export const pgArchive: string | null = null;
export const pgVersion: string | null = null;

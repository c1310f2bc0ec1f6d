/** True inside the executable made by `bun build --compile` (its modules live in a virtual /$bunfs). */
export function isCompiled(): boolean {
  return Bun.main.startsWith("/$bunfs/") || Bun.main.startsWith("B:/~BUN");
}

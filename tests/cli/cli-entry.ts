export {};

// Runs one of the install-related CLI modules the way src/main.ts dispatches them,
// so these tests do not depend on the rest of the entry point.
const [command, ...args] = process.argv.slice(2);
const modules: Record<string, () => Promise<{ run(argv: string[]): Promise<number> }>> = {
  setup: () => import("../../src/cli/setup"),
  service: () => import("../../src/cli/service"),
  uninstall: () => import("../../src/cli/uninstall"),
  doctor: () => import("../../src/cli/doctor"),
  db: () => import("../../src/cli/db"),
};
const load = command ? modules[command] : undefined;
if (!load) {
  console.error(`cli-entry: unknown command ${command}`);
  process.exit(2);
}
process.exitCode = await (await load()).run(args);

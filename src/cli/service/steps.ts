import { chmodSync, chownSync, mkdirSync, rmSync, writeFileSync } from "node:fs";

/** One change to the system; a dry run prints the list, a real run applies it in order. */
export type Step =
  | { kind: "write"; path: string; content: string; mode: number }
  | { kind: "mkdir"; path: string; mode: number; owner?: { uid: number; gid: number } }
  | { kind: "remove"; path: string }
  | { kind: "run"; cmd: string[]; mayFail?: boolean };

const quote = (arg: string) => (/^[\w@%+=:,./-]+$/.test(arg) ? arg : `'${arg.replace(/'/g, `'\\''`)}'`);
export const shellLine = (cmd: string[]) => cmd.map(quote).join(" ");

export function describeSteps(steps: Step[]): string {
  const out: string[] = [];
  for (const step of steps) {
    if (step.kind === "write") {
      out.push(`would write ${step.path} (mode ${step.mode.toString(8)}):`, "", step.content.trimEnd(), "");
    } else if (step.kind === "mkdir") {
      out.push(`would create directory ${step.path}`);
    } else if (step.kind === "remove") {
      out.push(`would remove ${step.path}`);
    } else {
      out.push(`would run: ${shellLine(step.cmd)}`);
    }
  }
  return `${out.join("\n")}\n`;
}

/** Applies the steps; returns an error message for the first one that fails. */
export function applySteps(steps: Step[]): string | undefined {
  for (const step of steps) {
    try {
      if (step.kind === "write") {
        writeFileSync(step.path, step.content, { mode: step.mode });
        chmodSync(step.path, step.mode);
      } else if (step.kind === "mkdir") {
        mkdirSync(step.path, { recursive: true, mode: step.mode });
        if (step.owner) chownSync(step.path, step.owner.uid, step.owner.gid);
      } else if (step.kind === "remove") {
        rmSync(step.path, { recursive: true, force: true });
      } else {
        console.log(`$ ${shellLine(step.cmd)}`);
        const r = Bun.spawnSync(step.cmd, { stdio: ["inherit", "inherit", "inherit"] });
        if (r.exitCode !== 0 && !step.mayFail) return `${shellLine(step.cmd)} exited with ${r.exitCode}`;
      }
    } catch (e) {
      return `${step.kind} ${"path" in step ? step.path : ""}: ${(e as Error).message}`;
    }
  }
  return undefined;
}

/**
 * What is wrong right now (the database unreachable, a write the disk refused), for /api/health.
 * Each fault has a key so the part that reported it can clear it once it works again.
 */
export type FaultArea = "db" | "disk";

export interface Fault {
  key: string;
  area: FaultArea;
  message: string;
  since: string;
}

const faults = new Map<string, Fault>();

export function reportFault(key: string, area: FaultArea, message: string) {
  const since = faults.get(key)?.since ?? new Date().toISOString();
  faults.set(key, { key, area, message, since });
}

export function clearFault(key: string) {
  faults.delete(key);
}

export const activeFaults = (): Fault[] => [...faults.values()];

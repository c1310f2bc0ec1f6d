/**
 * A session's last activity (output or input) saved at most once per `everyMs`, with a trailing
 * save so the last burst is not lost: the output path only compares two numbers.
 */
export function activityTracker(save: (id: string, at: Date) => Promise<unknown>, everyMs = 5000) {
  const savedAt = new Map<string, number>();
  const trailing = new Map<string, ReturnType<typeof setTimeout>>();
  const flush = (id: string, at: number) => {
    savedAt.set(id, at);
    // A postgres.js query is lazy: without .then (here through .catch) it is never sent.
    save(id, new Date(at)).catch(() => {});
  };
  return {
    touch(id: string, now = Date.now()) {
      const last = savedAt.get(id) ?? 0;
      if (now - last >= everyMs) return flush(id, now);
      if (trailing.has(id)) return;
      trailing.set(
        id,
        setTimeout(
          () => {
            trailing.delete(id);
            flush(id, Date.now());
          },
          last + everyMs - now,
        ),
      );
    },
    forget(id: string) {
      clearTimeout(trailing.get(id));
      trailing.delete(id);
      savedAt.delete(id);
    },
    stop() {
      for (const t of trailing.values()) clearTimeout(t);
      trailing.clear();
    },
  };
}

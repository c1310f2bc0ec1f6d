import { conflict } from "../errors";
import { log } from "../log";

/** How much input a hold keeps back at most; more is refused (a POST) or dropped (keystrokes). */
export const HOLD_MAX_BYTES = 64 * 1024;
/**
 * Held input goes out with the user's own pauses between writes, each up to this long: a TUI reads
 * text and an Enter that arrive together as a paste, not as a message sent.
 */
export const HOLD_MAX_GAP_MS = 250;

export interface HeldInput {
  data: string | Uint8Array;
  inputId?: string;
  at: number;
}

/** A session's input kept back, in arrival order, while something else types into the session. */
export class InputHold {
  private readonly queue: HeldInput[] = [];
  private readonly ids = new Set<string>();
  private bytes = 0;
  /** Bytes dropped because the hold was full (reported once, on release). */
  dropped = 0;

  constructor(private readonly max = HOLD_MAX_BYTES) {}

  /** Keeps `data` for later; an id seen before is a retry (not kept again). Throws 409 when full. */
  add(data: string | Uint8Array, inputId?: string): { applied: boolean } {
    if (inputId && this.ids.has(inputId)) return { applied: false };
    const size = typeof data === "string" ? Buffer.byteLength(data) : data.length;
    if (this.bytes + size > this.max) {
      this.dropped += size;
      throw conflict(
        `the session is being typed into (a recap) and ${this.max / 1024} KiB of input already waits for it; try again in a moment`,
      );
    }
    this.bytes += size;
    if (inputId) this.ids.add(inputId);
    this.queue.push({ data, inputId, at: Date.now() });
    return { applied: true };
  }

  /** The oldest held input, removed from the hold. */
  take(): HeldInput | undefined {
    const next = this.queue.shift();
    if (next) this.bytes -= typeof next.data === "string" ? Buffer.byteLength(next.data) : next.data.length;
    return next;
  }

  get heldBytes() {
    return this.bytes;
  }
}

/**
 * Delivers a hold's input in order, with the user's pauses (each up to HOLD_MAX_GAP_MS); input added
 * meanwhile follows. Stops, dropping the rest, once the session no longer runs. Resolves when empty.
 */
export async function drainHold(
  id: string,
  hold: InputHold,
  session: { running(): boolean; deliver(input: HeldInput): Promise<unknown> },
) {
  let last: number | undefined;
  for (let next = hold.take(); next; next = hold.take()) {
    if (!session.running()) {
      log.info("the session ended; its held input is dropped", { session: id });
      break;
    }
    if (last !== undefined) await Bun.sleep(Math.max(0, Math.min(next.at - last, HOLD_MAX_GAP_MS)));
    last = next.at;
    await session.deliver(next).catch((e) => log.warn("held input was not delivered", { session: id, error: e }));
  }
  if (hold.dropped) log.warn("input beyond the hold's limit was dropped", { session: id, bytes: hold.dropped });
}

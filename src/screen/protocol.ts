/** Messages between the main thread's ScreenModel handles and the screen worker. */
export type ToWorker =
  | { t: "open"; id: number; cols: number; rows: number; scrollback: number; start: number }
  | { t: "write"; id: number; bytes: Uint8Array; end: number }
  | { t: "resize"; id: number; cols: number; rows: number }
  | { t: "close"; id: number }
  | {
      t: "call";
      id: number;
      req: number;
      op: "snapshot" | "serialize" | "search" | "settled";
      settled?: boolean;
      scrollbackLines?: number;
      q?: string;
      limit?: number;
    };

export type ToHost =
  | { t: "parsed"; id: number; cursor: number }
  | { t: "reply"; req: number; result?: unknown; error?: string };

/**
 * One size owner per session: the device that typed last, or asked to fit, sets the PTY's size.
 * Every other attached device is told the PTY's real size so it renders that instead of reflowing,
 * and its own wish is kept so the size follows it the moment it types.
 */
export interface SizeClient {
  /** The size this device would fit, as it last said. */
  wanted?: { cols: number; rows: number };
  tell(size: { cols: number; rows: number; owner: boolean }): void;
}

interface SessionSize {
  cols: number;
  rows: number;
  owner: SizeClient | null;
  clients: Set<SizeClient>;
}

export class SizeOwners {
  private readonly sessions = new Map<string, SessionSize>();

  constructor(private readonly apply: (id: string, cols: number, rows: number) => Promise<void>) {}

  join(id: string, client: SizeClient, current: { cols: number; rows: number }) {
    let s = this.sessions.get(id);
    if (!s) {
      s = { ...current, owner: null, clients: new Set() };
      this.sessions.set(id, s);
    }
    s.clients.add(client);
    // Nobody owning it: this device's first resize takes it, so it need not show "fit here" meanwhile.
    client.tell({ cols: s.cols, rows: s.rows, owner: s.owner === null || s.owner === client });
  }

  leave(id: string, client: SizeClient) {
    const s = this.sessions.get(id);
    if (!s) return;
    s.clients.delete(client);
    if (!s.clients.size) return void this.sessions.delete(id);
    if (s.owner === client) s.owner = null;
  }

  /** A device says what it would fit; it sets the size when it owns it, or nobody does, or it asks to (`fit`). */
  async wish(id: string, client: SizeClient, size: { cols: number; rows: number }, fit = false) {
    client.wanted = size;
    const s = this.sessions.get(id);
    if (!s) return;
    if (fit || s.owner === client || s.owner === null) return this.take(id, s, client);
    client.tell({ cols: s.cols, rows: s.rows, owner: false });
  }

  /** A device typed or tapped: the size follows it. */
  async active(id: string, client: SizeClient) {
    const s = this.sessions.get(id);
    if (!s || s.owner === client) return;
    await this.take(id, s, client);
  }

  private async take(id: string, s: SessionSize, client: SizeClient) {
    s.owner = client;
    const want = client.wanted;
    if (want && (want.cols !== s.cols || want.rows !== s.rows)) {
      await this.apply(id, want.cols, want.rows);
      s.cols = want.cols;
      s.rows = want.rows;
    }
    if (s.owner !== client) return;
    for (const c of s.clients) c.tell({ cols: s.cols, rows: s.rows, owner: c === client });
  }
}

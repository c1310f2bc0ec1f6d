export interface Pacing {
  activeFps: number;
  idleFps: number;
  /** No activity for this long makes the stream idle. */
  idleAfterMs: number;
}

export const DEFAULT_PACING: Pacing = { activeFps: 8, idleFps: 1, idleAfterMs: 5000 };

/**
 * When the next frame is due for one viewer: about 8 fps while the page is visible and in use,
 * 1 fps after 5 s without activity, none while hidden. `wake()` cuts a wait short when the page
 * becomes visible or the user touches the screen, so the rate rises at once.
 */
export class FramePacer {
  private visible = true;
  private lastActivity = Date.now();
  private stopped = false;
  private wakeUp?: () => void;

  constructor(private pacing: Pacing = DEFAULT_PACING) {}

  /** ms between frames now, or null while hidden. */
  interval(now = Date.now()): number | null {
    if (!this.visible) return null;
    const active = now - this.lastActivity < this.pacing.idleAfterMs;
    return 1000 / (active ? this.pacing.activeFps : this.pacing.idleFps);
  }

  setVisible(visible: boolean) {
    this.visible = visible;
    if (visible) this.activity();
  }

  activity() {
    this.lastActivity = Date.now();
    this.wake();
  }

  get done() {
    return this.stopped;
  }

  stop() {
    this.stopped = true;
    this.wake();
  }

  private wake() {
    const w = this.wakeUp;
    this.wakeUp = undefined;
    w?.();
  }

  /** Waits `ms`, or until woken; `null` waits until woken. */
  wait(ms: number | null): Promise<void> {
    if (this.stopped) return Promise.resolve();
    return new Promise((resolve) => {
      const timer = ms === null ? undefined : setTimeout(done, Math.max(0, ms));
      const self = this;
      function done() {
        clearTimeout(timer);
        if (self.wakeUp === done) self.wakeUp = undefined;
        resolve();
      }
      this.wakeUp = done;
    });
  }
}

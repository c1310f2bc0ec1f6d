const INITIAL_CAPACITY = 16 * 1024;

/**
 * Keeps the last `limit` bytes of a stream, addressed by a monotonic byte cursor.
 * Storage grows by doubling up to the limit, so an idle session costs a few KiB.
 */
export class RingBuffer {
  private buf: Uint8Array;
  private head = 0; // index of the oldest byte
  private size = 0;
  private endCursor: number;

  constructor(
    readonly limit = 4 * 1024 * 1024,
    startCursor = 0,
  ) {
    this.buf = new Uint8Array(Math.min(INITIAL_CAPACITY, limit));
    this.endCursor = startCursor;
  }

  /** Cursor of the oldest byte still held. */
  get start(): number {
    return this.endCursor - this.size;
  }

  /** Cursor just past the newest byte. */
  get end(): number {
    return this.endCursor;
  }

  append(bytes: Uint8Array) {
    this.endCursor += bytes.length;
    if (bytes.length >= this.limit) {
      this.grow(this.limit);
      this.buf.set(bytes.subarray(bytes.length - this.limit));
      this.head = 0;
      this.size = this.limit;
      return;
    }
    if (this.size + bytes.length > this.buf.length && this.buf.length < this.limit) {
      this.grow(Math.min(this.limit, Math.max(this.buf.length * 2, this.size + bytes.length)));
    }
    const cap = this.buf.length;
    let tail = (this.head + this.size) % cap;
    const first = Math.min(bytes.length, cap - tail);
    this.buf.set(bytes.subarray(0, first), tail);
    if (first < bytes.length) this.buf.set(bytes.subarray(first), 0);
    tail = (tail + bytes.length) % cap;
    const overflow = this.size + bytes.length - cap;
    if (overflow > 0) {
      this.head = (this.head + overflow) % cap;
      this.size = cap;
    } else this.size += bytes.length;
  }

  /** Bytes from cursor `from` (clamped to what is held) to the end, as one copy. */
  read(
    from = this.start,
    maxBytes = Number.POSITIVE_INFINITY,
  ): { from: number; bytes: Uint8Array; truncated: boolean } {
    const { from: begin, views } = this.views(from, maxBytes);
    const out = new Uint8Array(views.reduce((n, v) => n + v.length, 0));
    let offset = 0;
    for (const v of views) {
      out.set(v, offset);
      offset += v.length;
    }
    return { from: begin, bytes: out, truncated: from < this.start };
  }

  /**
   * The same bytes as read(), as at most two views of the storage, copying nothing; they are valid
   * only until the next append.
   */
  views(from = this.start, maxBytes = Number.POSITIVE_INFINITY): { from: number; views: Uint8Array[] } {
    const begin = Math.min(Math.max(from, this.start), this.end);
    const length = Math.min(this.end - begin, maxBytes);
    const cap = this.buf.length;
    const offset = (this.head + (begin - this.start)) % cap;
    const first = Math.min(length, cap - offset);
    const views = [this.buf.subarray(offset, offset + first)];
    if (first < length) views.push(this.buf.subarray(0, length - first));
    return { from: begin, views };
  }

  private grow(capacity: number) {
    if (capacity <= this.buf.length) return;
    const next = new Uint8Array(capacity);
    const { bytes } = this.read();
    next.set(bytes);
    this.buf = next;
    this.head = 0;
  }
}

import { AppError } from "../errors";

interface Bucket {
  tokens: number;
  updated: number;
}

/** Per-IP token bucket; `perMinute` 0 turns it off. */
export class RateLimiter {
  private buckets = new Map<string, Bucket>();

  constructor(private readonly perMinute: number) {}

  async check(request: Request, server: { requestIP(r: Request): { address: string } | null } | null) {
    if (this.perMinute <= 0) return;
    const ip = server?.requestIP(request)?.address ?? "unknown";
    const now = Date.now();
    const bucket = this.buckets.get(ip) ?? { tokens: this.perMinute, updated: now };
    bucket.tokens = Math.min(this.perMinute, bucket.tokens + ((now - bucket.updated) / 60_000) * this.perMinute);
    bucket.updated = now;
    this.buckets.set(ip, bucket);
    if (bucket.tokens < 1) throw new AppError("rate_limited", "rate limit exceeded");
    bucket.tokens -= 1;
    if (this.buckets.size > 10_000) this.buckets.clear();
  }
}

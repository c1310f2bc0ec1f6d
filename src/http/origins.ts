/** Same-origin unless ALLOWED_ORIGINS lists the origin (or "*"); a missing Origin (native client) is allowed. */
export function originAllowed(request: Request, allowed: string[]): boolean {
  const origin = request.headers.get("origin");
  if (!origin) return true;
  if (allowed.includes("*")) return true;
  if (allowed.includes(origin)) return true;
  try {
    return new URL(origin).host === request.headers.get("host");
  } catch {
    return false;
  }
}

import { AppError } from "../errors";

const SOCKET_CODES = new Set([
  "ECONNREFUSED",
  "ECONNRESET",
  "ENOENT",
  "EPIPE",
  "ETIMEDOUT",
  "CONNECTION_CLOSED",
  "CONNECTION_ENDED",
  "CONNECTION_DESTROYED",
  "CONNECT_TIMEOUT",
]);

/**
 * Whether a postgres.js error means the database cannot be reached (rather than a bad query):
 * a socket error, or a server that is shutting down, starting up or recovering (SQLSTATE 08xxx, 57P0x).
 */
export function isDbUnavailable(e: unknown): boolean {
  if (!(e instanceof Error)) return false;
  const code = String((e as { code?: unknown }).code ?? "");
  return SOCKET_CODES.has(code) || /^08|^57P0/.test(code);
}

export const dbUnavailable = () =>
  new AppError("unavailable", "the database is unavailable; OpenDray is reconnecting, try again in a moment");

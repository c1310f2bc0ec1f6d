import type { SearchHit } from "../screen/engine";
import { searchOutput, TRANSCRIPT_SEARCH_BYTES } from "../screen/transcript";
import { outputRange } from "./output-range";
import type { SessionService } from "./service";

/** Searches the newest output of a session that is not running (its transcript on disk); not_found if unknown. */
export async function searchEndedSession(
  sessions: SessionService,
  id: string,
  q: string,
  limit: number,
): Promise<SearchHit[]> {
  const view = await sessions.get(id);
  const { stream } = await sessions.stream(id);
  const range = outputRange(stream, Math.max(stream.oldest, stream.end - TRANSCRIPT_SEARCH_BYTES));
  const bytes = new Uint8Array(await new Response(range.body).arrayBuffer());
  return searchOutput(bytes, view, q, limit);
}

import type { SessionService } from "../sessions";
import type { TelegramSessions } from "./deps";

/** The bridge's view of the core session service; prompt and screen access come from their features. */
export function sessionsForTelegram(
  service: SessionService,
  extras: Pick<TelegramSessions, "screen" | "prompt" | "answerPrompt"> = {},
): TelegramSessions {
  return {
    list: () => service.list(),
    get: (id) => service.get(id),
    input: (id, data, inputId) => service.input(id, data, inputId),
    stop: (id) => service.stop(id),
    async readBuffer(id, since) {
      const { stream } = await service.stream(id);
      const { from, bytes } = stream.read(since);
      return { from, cursor: from + bytes.length, bytes };
    },
    ...extras,
  };
}

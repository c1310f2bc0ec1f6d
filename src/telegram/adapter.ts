import type { LiveScreens } from "../screen/sessions";
import type { SessionService } from "../sessions";
import type { TelegramSessions } from "./deps";

/** How long a Telegram answer waits for the agent to take it. */
const ANSWER_WAIT_MS = 5000;

/** The bridge's view of the core session service, with each running session's screen and prompt. */
export function sessionsForTelegram(service: SessionService, screens?: LiveScreens): TelegramSessions {
  const live: Pick<TelegramSessions, "screen" | "prompt" | "answerPrompt"> = screens
    ? {
        screen: (id) => screens.screen(id).snapshot({ settled: true }),
        prompt: async (id) => screens.tracker(id).current(),
        answerPrompt: (id, promptId, keys) => screens.tracker(id).answerAndWait(promptId, keys, ANSWER_WAIT_MS),
      }
    : {};
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
    ...live,
  };
}

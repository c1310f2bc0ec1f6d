import type { Wire } from "../model";
import { speaks, type Upstream } from "../upstream";
import { translateSse, type Usage } from "../usage-tap";
import { type AnthropicRequest, anthropicToChat, ChatToAnthropicStream, chatToAnthropic } from "./anthropic-chat";
import type { ChatCompletion } from "./chat";
import { ChatToGeminiStream, chatToGemini, type GeminiRequest, geminiToChat } from "./gemini-chat";
import {
  ChatToResponsesStream,
  chatToResponses,
  type ResponsesRequest,
  responsesToChat,
  type ToolNamespaces,
  toolNamespaces,
} from "./responses-chat";

export interface TranslationHop {
  upstream: Upstream;
  model: string;
}

/** One agent wire carried over another upstream wire (both directions, streaming). */
export interface Translation {
  upstreamWire: Wire;
  /** `state` is handed to response() (what the request said that the answer needs, such as tool namespaces). */
  request(
    raw: string,
    hop: TranslationHop,
    ep: { stream?: boolean },
  ): { body: string; stream: boolean; state?: unknown };
  response(
    res: Response,
    stream: boolean,
    hop: TranslationHop,
    ep: { stream?: boolean },
    done: (u: Usage) => void,
    state?: unknown,
  ): Response | Promise<Response>;
}

const SSE_HEADERS = { "content-type": "text/event-stream", "cache-control": "no-cache" };

export const translations = {
  anthropicToChat: {
    upstreamWire: "openaiChat",
    request(raw, hop) {
      const req = JSON.parse(raw) as AnthropicRequest;
      const vision = hop.upstream.models?.find((m) => m.id === hop.model)?.vision ?? false;
      const chat = anthropicToChat(req, hop.model, { vision });
      return { body: JSON.stringify(chat), stream: !!chat.stream };
    },
    async response(res, stream, hop, _ep, done) {
      if (!stream || !res.body) {
        const j = (await res.json()) as ChatCompletion;
        done({ input: j.usage?.prompt_tokens ?? 0, output: j.usage?.completion_tokens ?? 0 });
        return Response.json(chatToAnthropic(j, hop.model));
      }
      return new Response(translateSse(res.body, new ChatToAnthropicStream(hop.model), done), {
        headers: SSE_HEADERS,
      });
    },
  },
  responsesToChat: {
    upstreamWire: "openaiChat",
    request(raw, hop) {
      const req = JSON.parse(raw) as ResponsesRequest;
      const chat = responsesToChat(req, hop.model);
      return { body: JSON.stringify(chat), stream: !!chat.stream, state: toolNamespaces(req) };
    },
    async response(res, stream, hop, _ep, done, state) {
      const ns = state as ToolNamespaces | undefined;
      if (!stream || !res.body) {
        const j = (await res.json()) as ChatCompletion;
        done({ input: j.usage?.prompt_tokens ?? 0, output: j.usage?.completion_tokens ?? 0 });
        return Response.json(chatToResponses(j, hop.model, ns));
      }
      return new Response(translateSse(res.body, new ChatToResponsesStream(hop.model, ns), done), {
        headers: SSE_HEADERS,
      });
    },
  },
  geminiToChat: {
    upstreamWire: "openaiChat",
    request(raw, hop, ep) {
      const chat = geminiToChat(JSON.parse(raw) as GeminiRequest, hop.model, !!ep.stream);
      return { body: JSON.stringify(chat), stream: !!chat.stream };
    },
    async response(res, stream, hop, _ep, done) {
      if (!stream || !res.body) {
        const j = (await res.json()) as ChatCompletion;
        done({ input: j.usage?.prompt_tokens ?? 0, output: j.usage?.completion_tokens ?? 0 });
        return Response.json(chatToGemini(j, hop.model));
      }
      return new Response(translateSse(res.body, new ChatToGeminiStream(hop.model), done), {
        headers: SSE_HEADERS,
      });
    },
  },
} satisfies Record<string, Translation>;

export type Plan = "pass" | keyof typeof translations;

const VIA_CHAT: Partial<Record<Wire, keyof typeof translations>> = {
  anthropicMessages: "anthropicToChat",
  openaiResponses: "responsesToChat",
  geminiGenerate: "geminiToChat",
};

/** Passthrough when the upstream speaks the agent's wire, else a translation to OpenAI Chat, else none. */
export function planFor(wire: Wire, u: Pick<Upstream, "kind" | "wires">): Plan | null {
  if (speaks(u, wire)) return "pass";
  const via = VIA_CHAT[wire];
  return via && speaks(u, "openaiChat") ? via : null;
}

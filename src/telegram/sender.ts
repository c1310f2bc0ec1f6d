import { type Api, InputFile, type Transformer } from "grammy";
import type { InlineKeyboardMarkup } from "grammy/types";
import { english, type Translator } from "../i18n";
import { log } from "../log";
import { escapeHtml, htmlToPlain, MESSAGE_LIMIT, splitText } from "./text";

const sleep = (ms: number, signal: AbortSignal) =>
  new Promise<void>((resolve) => {
    if (signal.aborted) return resolve();
    const t = setTimeout(done, ms);
    function done() {
      clearTimeout(t);
      signal.removeEventListener("abort", done);
      resolve();
    }
    signal.addEventListener("abort", done);
  });

export { sleep };

const PARSE_ERROR = /can't parse entities|unsupported start tag|can't find end tag|unexpected end tag/i;

/**
 * Every Bot API call but getUpdates goes through this: 429 waits retry_after, network errors and 5xx
 * back off (1 s doubling to 30 s) and retry until the bot stops, HTML Telegram cannot parse is re-sent
 * as plain text. A send is only given up for a definite 4xx answer.
 */
export function retryingTransformer(closing: AbortSignal, counters: { sent: number }): Transformer {
  return async (prev, method, payload, signal) => {
    if (method === "getUpdates") return prev(method, payload, signal);
    let current = payload;
    let failures = 0;
    const stopOn = signal ? AbortSignal.any([closing, signal as unknown as AbortSignal]) : closing;
    for (;;) {
      let res: Awaited<ReturnType<typeof prev>>;
      try {
        res = await prev(method, current, signal);
      } catch (e) {
        if (closing.aborted || signal?.aborted) throw e;
        failures++;
        const wait = Math.min(1000 * 2 ** (failures - 1), 30_000);
        log.warn("telegram call failed, retrying", { method, attempt: failures, waitMs: wait, error: e });
        await sleep(wait, stopOn);
        continue;
      }
      if (res.ok) {
        if (method.startsWith("send")) counters.sent++;
        return res;
      }
      if (stopOn.aborted) return res;
      if (res.error_code === 429) {
        const wait = (res.parameters?.retry_after ?? 1) * 1000;
        log.warn("telegram rate limit", { method, waitMs: wait });
        await sleep(wait, stopOn);
        continue;
      }
      if (res.error_code >= 500) {
        failures++;
        await sleep(Math.min(1000 * 2 ** (failures - 1), 30_000), stopOn);
        continue;
      }
      const p = current as Record<string, unknown>;
      if (res.error_code === 400 && PARSE_ERROR.test(res.description) && p.parse_mode) {
        log.warn("telegram rejected HTML, re-sending as plain text", { method });
        const { parse_mode: _drop, ...rest } = p;
        if (typeof rest.text === "string") rest.text = htmlToPlain(rest.text);
        if (typeof rest.caption === "string") rest.caption = htmlToPlain(rest.caption);
        current = rest as typeof payload;
        continue;
      }
      return res;
    }
  };
}

export interface SendOptions {
  replyTo?: number;
  keyboard?: InlineKeyboardMarkup;
}

/** Sends HTML split under the limit: reply_to on the first piece, the keyboard on the last. Returns message ids. */
export async function sendHtml(api: Api, chatId: string, html: string, opts: SendOptions = {}): Promise<number[]> {
  const pieces = splitText(html, MESSAGE_LIMIT);
  const ids: number[] = [];
  for (const [i, piece] of pieces.entries()) {
    const msg = await api.sendMessage(chatId, piece, {
      parse_mode: "HTML",
      link_preview_options: { is_disabled: true },
      ...(i === 0 && opts.replyTo
        ? { reply_parameters: { message_id: opts.replyTo, allow_sending_without_reply: true } }
        : {}),
      ...(i === pieces.length - 1 && opts.keyboard ? { reply_markup: opts.keyboard } : {}),
    });
    ids.push(msg.message_id);
  }
  return ids;
}

/** Up to this many messages of output are sent as text; more becomes a .txt document. */
const MAX_TEXT_PIECES = 3;
const PRE_LIMIT = MESSAGE_LIMIT - 20;

/** Sends terminal text as <pre> blocks, or as a .txt document when it is long. Returns message ids. */
export async function sendOutput(
  api: Api,
  chatId: string,
  text: string,
  opts: { header?: string; footer?: string; filename?: string; replyTo?: number; tr?: Translator } = {},
): Promise<number[]> {
  const reply = opts.replyTo
    ? { reply_parameters: { message_id: opts.replyTo, allow_sending_without_reply: true } }
    : {};
  const header = opts.header ? `${opts.header}\n` : "";
  const footer = opts.footer ? `\n${opts.footer}` : "";
  const pieces = splitText(text, PRE_LIMIT - header.length - footer.length);
  const escaped = pieces.map((p) => `<pre>${escapeHtml(p)}</pre>`);
  const over = escaped.some((p) => p.length + header.length + footer.length > MESSAGE_LIMIT);
  if (pieces.length > MAX_TEXT_PIECES || over) {
    const msg = await api.sendDocument(
      chatId,
      new InputFile(new TextEncoder().encode(text), opts.filename ?? "output.txt"),
      {
        caption: `${header}${(opts.tr ?? english).t("📄 {n} lines of output", { n: text.split("\n").length })}${footer}`,
        parse_mode: "HTML",
        ...reply,
      },
    );
    return [msg.message_id];
  }
  const ids: number[] = [];
  for (const [i, piece] of escaped.entries()) {
    const last = i === escaped.length - 1 ? footer : "";
    const msg = await api.sendMessage(chatId, (i === 0 ? header + piece : piece) + last, {
      parse_mode: "HTML",
      ...(i === 0 ? reply : {}),
    });
    ids.push(msg.message_id);
  }
  return ids;
}

/** Runs tasks one after another per chat, so relayed output and notifications keep their order. */
export class ChatQueue {
  private tails = new Map<string, Promise<unknown>>();
  run<T>(chatId: string, task: () => Promise<T>): Promise<T> {
    const prev = this.tails.get(chatId) ?? Promise.resolve();
    const next = prev.catch(() => {}).then(task);
    this.tails.set(chatId, next);
    next
      .finally(() => {
        if (this.tails.get(chatId) === next) this.tails.delete(chatId);
      })
      .catch(() => {});
    return next;
  }
  /** Resolves once what is queued for `chatId` now has been sent (or failed). */
  async settled(chatId: string) {
    await this.tails.get(chatId)?.catch(() => {});
  }
  async idle() {
    await Promise.allSettled([...this.tails.values()]);
  }
}

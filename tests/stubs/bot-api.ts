/**
 * A local Telegram Bot API server speaking the real HTTP protocol (`/bot<token>/<method>`, JSON,
 * form-urlencoded or multipart bodies, `{ok, result}` / `{ok:false, error_code, description}` answers),
 * for pointing a bot at with OPENDRAY_TELEGRAM_API_ROOT. Tests inject what users type or tap and read
 * back what the bot sent. Faults can be queued per method: an error answer (e.g. 429 with retry_after)
 * or a broken response (the client sees a network error).
 */

const ALLOWED_TAGS = new Set([
  "b",
  "strong",
  "i",
  "em",
  "u",
  "ins",
  "s",
  "strike",
  "del",
  "a",
  "code",
  "pre",
  "tg-spoiler",
  "span",
  "blockquote",
  "tg-emoji",
]);

export interface StubUser {
  id: number;
  is_bot: boolean;
  first_name: string;
  username?: string;
}

export interface ChatMessage {
  chatId: string;
  messageId: number;
  /** "bot" for what the bot sent, "user" for injected messages. */
  from: "bot" | "user";
  method: string;
  /** What the user sees (HTML parsed). */
  text?: string;
  /** The text as sent, markup included. */
  html?: string;
  parseMode?: string;
  caption?: string;
  replyTo?: number;
  keyboard?: { text: string; callback_data?: string }[][];
  document?: { filename: string; content: string };
  edits: number;
}

export interface ApiCall {
  token: string;
  method: string;
  params: Record<string, unknown>;
  at: number;
}

type Fault = { kind: "error"; code: number; description: string; retryAfter?: number } | { kind: "broken" };

interface BotState {
  user: StubUser;
  updates: Record<string, unknown>[];
  nextUpdateId: number;
  waiters: Set<() => void>;
  pollers: Set<(conflict: boolean) => void>;
  confirmed: number;
}

export class BotApiStub {
  readonly calls: ApiCall[] = [];
  readonly callbackAnswers: { id: string; text?: string }[] = [];
  private bots = new Map<string, BotState>();
  private chats = new Map<string, ChatMessage[]>();
  private nextMessageId = new Map<string, number>();
  private faults = new Map<string, Fault[]>();
  private listeners = new Set<() => void>();
  private server: ReturnType<typeof Bun.serve> | null = null;
  private nextCallbackId = 1;

  get url(): string {
    if (!this.server) throw new Error("stub not started");
    return `http://127.0.0.1:${this.server.port}`;
  }

  start(): this {
    this.server = Bun.serve({ port: 0, hostname: "127.0.0.1", idleTimeout: 0, fetch: (req) => this.handle(req) });
    return this;
  }

  async stop() {
    for (const bot of this.bots.values()) for (const p of bot.pollers) p(false);
    await this.server?.stop(true);
    this.server = null;
  }

  /** Registers a bot token; returns the bot's user. */
  addBot(token: string, username = "opendray_test_bot"): StubUser {
    const id = Number(token.split(":")[0]);
    const user = { id, is_bot: true, first_name: "OpenDray", username };
    this.bots.set(token, {
      user,
      updates: [],
      nextUpdateId: 1000,
      waiters: new Set(),
      pollers: new Set(),
      confirmed: 0,
    });
    return user;
  }

  /** Queues faults for the next calls of `method`, used in order. */
  failNext(method: string, ...faults: Fault[]) {
    this.faults.set(method, [...(this.faults.get(method) ?? []), ...faults]);
  }

  static tooManyRequests(retryAfter: number): Fault {
    return { kind: "error", code: 429, description: `Too Many Requests: retry after ${retryAfter}`, retryAfter };
  }
  static broken(): Fault {
    return { kind: "broken" };
  }

  /** A user writes `text` in chat `chatId` (a private chat unless the id is negative). */
  userSays(
    token: string,
    chatId: number,
    text: string,
    opts: { replyTo?: number; from?: Partial<StubUser> } = {},
  ): { updateId: number; messageId: number } {
    const chat = this.chatObject(chatId);
    const messageId = this.allocMessageId(String(chatId));
    const from = {
      id: chatId > 0 ? chatId : 777,
      is_bot: false,
      first_name: "Tester",
      username: "tester",
      ...opts.from,
    };
    const message: Record<string, unknown> = { message_id: messageId, date: now(), chat, from, text };
    if (text.startsWith("/")) {
      const len = text.split(/\s/)[0]?.length ?? 0;
      message.entities = [{ type: "bot_command", offset: 0, length: len }];
    }
    if (opts.replyTo) {
      const original = this.find(String(chatId), opts.replyTo);
      message.reply_to_message = { message_id: opts.replyTo, date: now(), chat, text: original?.text ?? "" };
    }
    this.record({
      chatId: String(chatId),
      messageId,
      from: "user",
      method: "message",
      text,
      replyTo: opts.replyTo,
      edits: 0,
    });
    return { updateId: this.pushUpdate(token, { message }), messageId };
  }

  /** A user taps the inline button with `data` under bot message `messageId`. */
  userTaps(token: string, chatId: number, messageId: number, data: string): { updateId: number; callbackId: string } {
    const bot = this.bot(token);
    const msg = this.find(String(chatId), messageId);
    if (!msg) throw new Error(`no message ${messageId} in chat ${chatId}`);
    const id = String(this.nextCallbackId++);
    const callback_query = {
      id,
      from: { id: chatId > 0 ? chatId : 777, is_bot: false, first_name: "Tester" },
      chat_instance: String(chatId),
      data,
      message: {
        message_id: messageId,
        date: now(),
        chat: this.chatObject(chatId),
        from: bot.user,
        text: msg.text ?? "",
      },
    };
    return { updateId: this.pushUpdate(token, { callback_query }), callbackId: id };
  }

  /** Everything in a chat, oldest first (bot messages show their text after edits). */
  messages(chatId: number | string): ChatMessage[] {
    return [...(this.chats.get(String(chatId)) ?? [])];
  }

  botMessages(chatId: number | string): ChatMessage[] {
    return this.messages(chatId).filter((m) => m.from === "bot");
  }

  /** Resolves with the first bot message in `chatId` (after the first `after` bot messages) matching `match`. */
  waitForMessage(
    chatId: number | string,
    match: (m: ChatMessage) => boolean,
    opts: { after?: number; timeoutMs?: number } = {},
  ): Promise<ChatMessage> {
    return this.waitUntil(
      () =>
        this.botMessages(chatId)
          .slice(opts.after ?? 0)
          .find(match),
      opts.timeoutMs ?? 15_000,
      () => {
        const seen = this.botMessages(chatId).map((m) => JSON.stringify(m.text ?? m.caption ?? m.document?.filename));
        return `no matching bot message in chat ${chatId}; bot said:\n${seen.join("\n")}`;
      },
    );
  }

  /** Resolves when `check` returns a value other than undefined/false (re-checked on every API call). */
  waitUntil<T>(check: () => T | undefined | false, timeoutMs = 15_000, explain?: () => string): Promise<T> {
    return new Promise((resolve, reject) => {
      const attempt = () => {
        const v = check();
        if (v !== undefined && v !== false) {
          cleanup();
          resolve(v as T);
          return true;
        }
        return false;
      };
      const timer = setTimeout(() => {
        cleanup();
        reject(new Error(explain?.() ?? "condition not met in time"));
      }, timeoutMs);
      // Re-checked on every API call, and every 20 ms for conditions outside the stub.
      const ticker = setInterval(() => void attempt(), 20);
      const cleanup = () => {
        clearTimeout(timer);
        clearInterval(ticker);
        this.listeners.delete(listener);
      };
      const listener = () => void attempt();
      if (attempt()) return;
      this.listeners.add(listener);
    });
  }

  /** Telegram keeps unconfirmed updates for 24 hours; this lets that time pass. */
  expirePending(token: string) {
    this.bot(token).updates = [];
  }

  /** Telegram picks the next update id at random after a week without updates; this sets it. */
  setNextUpdateId(token: string, next: number) {
    this.bot(token).nextUpdateId = next;
  }

  /** Updates the bot has not confirmed yet (getUpdates with a higher offset confirms). */
  pending(token: string): number {
    const bot = this.bot(token);
    return bot.updates.length;
  }

  /** The highest update id the bot confirmed by asking for the ones after it. */
  confirmed(token: string): number {
    return this.bot(token).confirmed;
  }

  callsOf(method: string): ApiCall[] {
    return this.calls.filter((c) => c.method === method);
  }

  // ---- protocol ----

  private async handle(req: Request): Promise<Response> {
    const m = new URL(req.url).pathname.match(/^\/bot([^/]+)\/(\w+)$/);
    if (!m) return json({ ok: false, error_code: 404, description: "Not Found" }, 404);
    const [, token = "", rawMethod = ""] = m;
    const method = rawMethod.toLowerCase();
    const bot = this.bots.get(token);
    if (!bot) return json({ ok: false, error_code: 401, description: "Unauthorized" }, 401);
    const params = await readParams(req);
    this.calls.push({ token, method: rawMethod, params, at: Date.now() });
    const fault = this.faults.get(rawMethod)?.shift();
    try {
      if (fault?.kind === "broken")
        return new Response("<html><body>502 Bad Gateway</body></html>", {
          status: 502,
          headers: { "content-type": "text/html" },
        });
      if (fault) {
        return json(
          {
            ok: false,
            error_code: fault.code,
            description: fault.description,
            ...(fault.retryAfter ? { parameters: { retry_after: fault.retryAfter } } : {}),
          },
          fault.code,
        );
      }
      const result = await this.dispatch(bot, method, params, req.signal);
      return json({ ok: true, result });
    } catch (e) {
      if (e instanceof ApiFailure) return json({ ok: false, error_code: e.code, description: e.message }, e.code);
      throw e;
    } finally {
      this.notify();
    }
  }

  private async dispatch(
    bot: BotState,
    method: string,
    p: Record<string, unknown>,
    signal: AbortSignal,
  ): Promise<unknown> {
    switch (method) {
      case "getme":
        return bot.user;
      case "deletewebhook":
      case "setmycommands":
      case "sendchataction":
        return true;
      case "getwebhookinfo":
        return { url: "", has_custom_certificate: false, pending_update_count: bot.updates.length };
      case "getupdates":
        return this.getUpdates(bot, p, signal);
      case "sendmessage": {
        const chatId = String(p.chat_id);
        const text = String(p.text ?? "");
        const visible = checkText(text, p.parse_mode as string | undefined, 4096);
        const reply = p.reply_parameters as { message_id?: number } | undefined;
        const msg = this.botMessage(chatId, "sendMessage", {
          text: visible,
          html: text,
          parseMode: p.parse_mode as string | undefined,
          replyTo: reply?.message_id ?? (p.reply_to_message_id as number | undefined),
          keyboard: keyboardOf(p.reply_markup),
        });
        return this.messageObject(bot, msg);
      }
      case "senddocument": {
        const chatId = String(p.chat_id);
        const doc = p.document as { filename: string; content: string } | undefined;
        if (!doc) throw new ApiFailure(400, "Bad Request: there is no document in the request");
        const caption = p.caption === undefined ? undefined : String(p.caption);
        const visible =
          caption === undefined ? undefined : checkText(caption, p.parse_mode as string | undefined, 1024);
        const msg = this.botMessage(chatId, "sendDocument", {
          caption: visible,
          parseMode: p.parse_mode as string | undefined,
          document: doc,
        });
        return this.messageObject(bot, msg);
      }
      case "editmessagetext": {
        const msg = this.find(String(p.chat_id), Number(p.message_id));
        if (msg?.from !== "bot") throw new ApiFailure(400, "Bad Request: message to edit not found");
        const text = String(p.text ?? "");
        const visible = checkText(text, p.parse_mode as string | undefined, 4096);
        const keyboard = keyboardOf(p.reply_markup);
        if (msg.text === visible && JSON.stringify(msg.keyboard) === JSON.stringify(keyboard))
          throw new ApiFailure(
            400,
            "Bad Request: message is not modified: specified new message content and reply markup are exactly the same",
          );
        Object.assign(msg, { text: visible, html: text, parseMode: p.parse_mode, keyboard, edits: msg.edits + 1 });
        return this.messageObject(bot, msg);
      }
      case "editmessagereplymarkup": {
        const msg = this.find(String(p.chat_id), Number(p.message_id));
        if (msg?.from !== "bot") throw new ApiFailure(400, "Bad Request: message to edit not found");
        Object.assign(msg, { keyboard: keyboardOf(p.reply_markup), edits: msg.edits + 1 });
        return this.messageObject(bot, msg);
      }
      case "answercallbackquery":
        this.callbackAnswers.push({ id: String(p.callback_query_id), text: p.text as string | undefined });
        return true;
      default:
        throw new ApiFailure(404, "Not Found: method not found");
    }
  }

  private async getUpdates(bot: BotState, p: Record<string, unknown>, signal: AbortSignal) {
    const offset = Number(p.offset ?? 0);
    if (offset > 0) {
      bot.updates = bot.updates.filter((u) => (u.update_id as number) >= offset);
      bot.confirmed = Math.max(bot.confirmed, offset - 1);
    }
    const limit = Math.min(Number(p.limit ?? 100), 100);
    const timeout = Number(p.timeout ?? 0);
    // A newer getUpdates ends the older one with 409, as Telegram does.
    for (const poller of [...bot.pollers]) poller(true);
    const ready = () => bot.updates.slice(0, limit);
    if (ready().length || timeout <= 0) return ready();
    const conflict = await new Promise<boolean>((resolve) => {
      const done = (c: boolean) => {
        clearTimeout(timer);
        bot.waiters.delete(wake);
        bot.pollers.delete(done);
        signal.removeEventListener("abort", aborted);
        resolve(c);
      };
      const wake = () => done(false);
      const aborted = () => done(false);
      const timer = setTimeout(wake, timeout * 1000);
      bot.waiters.add(wake);
      bot.pollers.add(done);
      signal.addEventListener("abort", aborted);
    });
    if (conflict)
      throw new ApiFailure(
        409,
        "Conflict: terminated by other getUpdates request; make sure that only one bot instance is running",
      );
    return ready();
  }

  // ---- helpers ----

  private bot(token: string): BotState {
    const bot = this.bots.get(token);
    if (!bot) throw new Error(`unknown bot token ${token.split(":")[0]}`);
    return bot;
  }

  private pushUpdate(token: string, body: Record<string, unknown>): number {
    const bot = this.bot(token);
    const update_id = bot.nextUpdateId++;
    bot.updates.push({ update_id, ...body });
    for (const w of [...bot.waiters]) w();
    return update_id;
  }

  private chatObject(chatId: number) {
    return chatId > 0
      ? { id: chatId, type: "private", first_name: "Tester", username: "tester" }
      : { id: chatId, type: "group", title: "Test group" };
  }

  private allocMessageId(chatId: string): number {
    const id = this.nextMessageId.get(chatId) ?? 1;
    this.nextMessageId.set(chatId, id + 1);
    return id;
  }

  private botMessage(chatId: string, method: string, fields: Partial<ChatMessage>): ChatMessage {
    const msg: ChatMessage = {
      chatId,
      messageId: this.allocMessageId(chatId),
      from: "bot",
      method,
      edits: 0,
      ...fields,
    };
    this.record(msg);
    return msg;
  }

  private record(msg: ChatMessage) {
    const list = this.chats.get(msg.chatId) ?? [];
    list.push(msg);
    this.chats.set(msg.chatId, list);
    this.notify();
  }

  private find(chatId: string, messageId: number) {
    return this.chats.get(chatId)?.find((m) => m.messageId === messageId);
  }

  private messageObject(bot: BotState, msg: ChatMessage) {
    const chatId = Number(msg.chatId);
    return {
      message_id: msg.messageId,
      date: now(),
      chat: this.chatObject(chatId),
      from: bot.user,
      ...(msg.text !== undefined ? { text: msg.text } : {}),
      ...(msg.caption !== undefined ? { caption: msg.caption } : {}),
      ...(msg.document
        ? {
            document: {
              file_id: `f${msg.messageId}`,
              file_unique_id: `u${msg.messageId}`,
              file_name: msg.document.filename,
            },
          }
        : {}),
      ...(msg.keyboard ? { reply_markup: { inline_keyboard: msg.keyboard } } : {}),
    };
  }

  private notify() {
    for (const l of [...this.listeners]) l();
  }
}

class ApiFailure extends Error {
  constructor(
    readonly code: number,
    message: string,
  ) {
    super(message);
  }
}

const now = () => Math.floor(Date.now() / 1000);
const json = (body: unknown, status = 200) => Response.json(body, { status });

async function readParams(req: Request): Promise<Record<string, unknown>> {
  const type = req.headers.get("content-type") ?? "";
  const out: Record<string, unknown> = Object.fromEntries(new URL(req.url).searchParams);
  if (type.includes("application/json")) return { ...out, ...((await req.json()) as Record<string, unknown>) };
  if (type.includes("multipart/form-data") || type.includes("application/x-www-form-urlencoded")) {
    const form = await req.formData();
    const files = new Map<string, File>();
    for (const [k, v] of form.entries()) if (typeof v !== "string") files.set(k, v as File);
    for (const [k, v] of form.entries()) {
      if (typeof v !== "string") continue;
      const attach = v.match(/^attach:\/\/(.+)$/);
      const file = attach ? files.get(attach[1] ?? "") : undefined;
      if (file) out[k] = { filename: file.name, content: await file.text() };
      else out[k] = /^[[{]/.test(v) ? JSON.parse(v) : v;
    }
  }
  return out;
}

function keyboardOf(markup: unknown): ChatMessage["keyboard"] {
  const m = (typeof markup === "string" ? JSON.parse(markup) : markup) as
    | { inline_keyboard?: ChatMessage["keyboard"] }
    | undefined;
  const kb = m?.inline_keyboard;
  if (!kb) return undefined;
  for (const row of kb)
    for (const b of row) {
      if (b.callback_data !== undefined && new TextEncoder().encode(b.callback_data).length > 64)
        throw new ApiFailure(400, "Bad Request: BUTTON_DATA_INVALID");
    }
  return kb;
}

/** Validates text the way Telegram does for parse_mode HTML: known tags, balanced, valid entities, length after parsing. */
function checkText(text: string, parseMode: string | undefined, limit: number): string {
  let visible = text;
  if (parseMode?.toUpperCase() === "HTML") {
    const stack: string[] = [];
    const re = /<(\/?)([a-zA-Z-]*)([^<>]*)>|<|&(#\d+|#x[0-9a-fA-F]+|[a-zA-Z]+);|&/g;
    let out = "";
    let last = 0;
    for (let m = re.exec(text); m; m = re.exec(text)) {
      out += text.slice(last, m.index);
      last = re.lastIndex;
      const token = m[0];
      if (token === "<")
        throw new ApiFailure(
          400,
          `Bad Request: can't parse entities: Unexpected character "<" at byte offset ${m.index}`,
        );
      if (token === "&")
        throw new ApiFailure(
          400,
          `Bad Request: can't parse entities: Character '&' is reserved at byte offset ${m.index}`,
        );
      if (token.startsWith("&")) {
        const name = m[4] ?? "";
        if (!name.startsWith("#") && !["lt", "gt", "amp", "quot"].includes(name))
          throw new ApiFailure(
            400,
            `Bad Request: can't parse entities: Unsupported HTML entity at byte offset ${m.index}`,
          );
        out += decodeEntity(name);
        continue;
      }
      const closing = m[1] === "/";
      const tag = (m[2] ?? "").toLowerCase();
      if (!ALLOWED_TAGS.has(tag))
        throw new ApiFailure(
          400,
          `Bad Request: can't parse entities: Unsupported start tag "${tag}" at byte offset ${m.index}`,
        );
      if (closing) {
        if (stack.pop() !== tag)
          throw new ApiFailure(400, `Bad Request: can't parse entities: Unexpected end tag at byte offset ${m.index}`);
      } else stack.push(tag);
    }
    if (stack.length)
      throw new ApiFailure(
        400,
        `Bad Request: can't parse entities: Can't find end tag corresponding to start tag "${stack[stack.length - 1]}"`,
      );
    visible = out + text.slice(last);
  }
  if (!visible.trim()) throw new ApiFailure(400, "Bad Request: message text is empty");
  if (visible.length > limit) throw new ApiFailure(400, "Bad Request: message is too long");
  return visible;
}

function decodeEntity(name: string): string {
  if (name.startsWith("#x")) return String.fromCodePoint(Number.parseInt(name.slice(2), 16));
  if (name.startsWith("#")) return String.fromCodePoint(Number(name.slice(1)));
  return ({ lt: "<", gt: ">", amp: "&", quot: '"' } as Record<string, string>)[name] ?? "";
}

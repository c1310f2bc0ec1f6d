import { expect, test } from "bun:test";
import { HookBus } from "../hooks/bus";
import { ScreenModel } from "../screen";
import type { LiveScreens } from "../screen/sessions";
import { SessionStream } from "../sessions/stream";
import { type LimitHit, watchLimits } from "./limits";

const enc = new TextEncoder();
const OLD = "You've hit your session limit · resets 2:48pm (UTC)";
const NEW = "You've hit your weekly limit · resets Dec 3, 2pm (UTC)";

/** A session re-attached after a restart: its screen is rebuilt from the PTY host's replay. */
function reattachedSession() {
  const hooks = new HookBus();
  const stream = new SessionStream(0);
  const screen = new ScreenModel(100, 30, 1000, { read: (from, max) => stream.read(from, max) });
  stream.subscribe((cursor, bytes) => screen.write(bytes, cursor + bytes.length));
  const screens = { find: () => screen } as unknown as LiveScreens;
  const output = (text: string) => {
    const cursor = stream.end;
    const bytes = enc.encode(text);
    stream.append(cursor, bytes);
    hooks.emit("onOutput", "s1", { cursor, bytes });
  };
  return { hooks, stream, screen, screens, output };
}

test("after a restart, a limit banner that lands while the screen is still replaying counts; one from before does not", async () => {
  const { hooks, stream, screen, screens, output } = reattachedSession();
  const before = `❯ ask-kiwi\r\n  ⎿  ${OLD}\r\n\r\n❯ ask-plum\r\n`;
  // the PTY host's cursor when the server came back: everything before it was on screen before the restart
  const until = enc.encode(before).length;
  const hits: LimitHit[] = [];
  const stop = watchLimits({
    hooks,
    screens,
    accountOf: () => "acc",
    onLimit: async (_id, _acc, hit) => {
      hits.push(hit);
    },
    reattached: ["s1"],
    adopted: () => ({ stream, until }),
  });
  // the replay, then a spinner that never goes quiet for long, then Claude's new banner
  output(before);
  for (let i = 0; i < 8; i++) {
    output(`\r✻ Thinking… ${i}s`);
    await Bun.sleep(120);
  }
  output(`\r\n  ⎿  ${NEW}\r\n`);
  await Bun.sleep(1500);
  expect(hits.map((h) => h.message)).toEqual([NEW]);
  // the session goes on drawing: neither banner counts again
  output("\r\n❯ ");
  await Bun.sleep(800);
  expect(hits.length).toBe(1);
  stop();
  screen.dispose();
});

test("after a restart, a screen that only shows old banners reports none, however long it keeps drawing", async () => {
  const { hooks, stream, screen, screens, output } = reattachedSession();
  const before = `  ⎿  ${OLD}\r\n❯ `;
  const hits: LimitHit[] = [];
  const stop = watchLimits({
    hooks,
    screens,
    accountOf: () => "acc",
    onLimit: async (_id, _acc, hit) => {
      hits.push(hit);
    },
    reattached: ["s1"],
    adopted: () => ({ stream, until: enc.encode(before).length }),
  });
  output(before);
  await Bun.sleep(700);
  output("x");
  await Bun.sleep(800);
  expect(hits).toEqual([]);
  stop();
  screen.dispose();
});

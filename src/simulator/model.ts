import * as v from "valibot";

export const DeviceParams = v.object({
  device: v.pipe(v.string(), v.regex(/^[A-Za-z0-9._:-]{1,100}$/, "a device id (an adb serial or a simulator UDID)")),
});

const coord = v.pipe(
  v.number("a number of device pixels"),
  v.integer("a whole number of pixels"),
  v.minValue(0, "at least 0"),
  v.maxValue(20_000, "at most 20000"),
);

export const KEY_ALIASES: Record<string, string> = {
  home: "KEYCODE_HOME",
  back: "KEYCODE_BACK",
  enter: "KEYCODE_ENTER",
  menu: "KEYCODE_MENU",
  power: "KEYCODE_POWER",
  app_switch: "KEYCODE_APP_SWITCH",
  volume_up: "KEYCODE_VOLUME_UP",
  volume_down: "KEYCODE_VOLUME_DOWN",
  del: "KEYCODE_DEL",
  tab: "KEYCODE_TAB",
  escape: "KEYCODE_ESCAPE",
};

export const InputBody = v.variant(
  "type",
  [
    v.strictObject({ type: v.literal("tap"), x: coord, y: coord }),
    v.strictObject({
      type: v.literal("swipe"),
      x1: coord,
      y1: coord,
      x2: coord,
      y2: coord,
      durationMs: v.optional(
        v.pipe(
          v.number(),
          v.integer("whole milliseconds"),
          v.minValue(1, "at least 1"),
          v.maxValue(10_000, "at most 10000"),
        ),
        300,
      ),
    }),
    v.strictObject({
      type: v.literal("key"),
      key: v.pipe(
        v.string(),
        v.regex(
          new RegExp(`^(KEYCODE_[A-Z0-9_]{1,40}|[0-9]{1,3}|${Object.keys(KEY_ALIASES).join("|")})$`),
          `an Android key code (KEYCODE_HOME, 3) or one of ${Object.keys(KEY_ALIASES).join(", ")}`,
        ),
      ),
    }),
    v.strictObject({
      type: v.literal("text"),
      text: v.pipe(
        v.string(),
        v.minLength(1, "text is required"),
        v.maxLength(1000, "at most 1000 characters"),
        v.regex(/^[\x20-\x7e]+$/, "printable ASCII: what adb's input text can type"),
      ),
    }),
  ],
  "type must be tap, swipe, key or text",
);
export type InputAction = v.InferOutput<typeof InputBody>;

export const OpenUrlBody = v.strictObject({
  url: v.pipe(v.string(), v.maxLength(2000, "at most 2000 characters"), v.url("a URL")),
});

/** What the page tells the stream: whether it is visible, and that the user is interacting. */
export const StreamMessage = v.variant("type", [
  v.object({ type: v.literal("visibility"), visible: v.boolean() }),
  v.object({ type: v.literal("activity") }),
]);

export interface Device {
  id: string;
  platform: "android" | "ios";
  name: string;
  /** adb: device, offline, unauthorized…; simctl: Booted. */
  state: string;
}

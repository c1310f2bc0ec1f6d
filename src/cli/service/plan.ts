import {
  LAUNCHD_LABEL,
  LAUNCHD_LOG_DIR,
  PLIST_PATH,
  type Platform,
  renderServiceFile,
  type ServiceSpec,
  UNIT_PATH,
} from "./render";
import type { Step } from "./steps";

const target = `system/${LAUNCHD_LABEL}`;

export function installSteps(spec: ServiceSpec, replacing: boolean, owner?: { uid: number; gid: number }): Step[] {
  const content = renderServiceFile(spec);
  if (spec.platform === "linux") {
    return [
      { kind: "write", path: UNIT_PATH, content, mode: 0o644 },
      { kind: "run", cmd: ["systemctl", "daemon-reload"] },
      { kind: "run", cmd: ["systemctl", "enable", "opendray"] },
      // restart also starts a stopped unit, and picks up a replaced one.
      { kind: "run", cmd: ["systemctl", "restart", "opendray"] },
    ];
  }
  return [
    { kind: "mkdir", path: LAUNCHD_LOG_DIR, mode: 0o755, owner },
    ...(replacing ? [{ kind: "run", cmd: ["launchctl", "bootout", target], mayFail: true } as Step] : []),
    { kind: "write", path: PLIST_PATH, content, mode: 0o644 },
    { kind: "run", cmd: ["launchctl", "bootstrap", "system", PLIST_PATH] },
  ];
}

export function uninstallSteps(platform: Platform, keepLogs: boolean): Step[] {
  if (platform === "linux") {
    return [
      { kind: "run", cmd: ["systemctl", "disable", "--now", "opendray"], mayFail: true },
      { kind: "remove", path: UNIT_PATH },
      { kind: "run", cmd: ["systemctl", "daemon-reload"] },
    ];
  }
  return [
    { kind: "run", cmd: ["launchctl", "bootout", target], mayFail: true },
    { kind: "remove", path: PLIST_PATH },
    ...(keepLogs ? [] : [{ kind: "remove", path: LAUNCHD_LOG_DIR } as Step]),
  ];
}

export type Control = "start" | "stop" | "restart" | "status";

export function controlCommand(platform: Platform, action: Control): string[] {
  if (platform === "linux")
    return action === "status" ? ["systemctl", "status", "opendray", "--no-pager"] : ["systemctl", action, "opendray"];
  switch (action) {
    case "start":
      return ["launchctl", "kickstart", target];
    case "stop":
      return ["launchctl", "kill", "SIGTERM", target];
    case "restart":
      return ["launchctl", "kickstart", "-k", target];
    case "status":
      return ["launchctl", "print", target];
  }
}

export function logsCommand(platform: Platform, lines: number, follow: boolean): string[] {
  if (platform === "linux")
    return ["journalctl", "-u", "opendray", "-n", String(lines), ...(follow ? ["-f"] : []), "--no-pager"];
  return [
    "tail",
    "-n",
    String(lines),
    ...(follow ? ["-f"] : []),
    `${LAUNCHD_LOG_DIR}/opendray.out.log`,
    `${LAUNCHD_LOG_DIR}/opendray.err.log`,
  ];
}

// Builtin manifests, embedded in the binary (bun build --compile bundles JSON imports).

import agent_claude from "../../plugins/agents/claude/manifest.json";
import agent_codex from "../../plugins/agents/codex/manifest.json";
import agent_gemini from "../../plugins/agents/gemini/manifest.json";
import agent_opencode from "../../plugins/agents/opencode/manifest.json";
import agent_qwen_code from "../../plugins/agents/qwen-code/manifest.json";
import agent_terminal from "../../plugins/agents/terminal/manifest.json";
import panel_docs from "../../plugins/panels/docs/manifest.json";
import panel_files from "../../plugins/panels/files/manifest.json";
import panel_forge from "../../plugins/panels/forge/manifest.json";
import panel_git from "../../plugins/panels/git/manifest.json";
import panel_logs from "../../plugins/panels/logs/manifest.json";
import panel_mcp from "../../plugins/panels/mcp/manifest.json";
import panel_pg from "../../plugins/panels/pg/manifest.json";
import panel_preview from "../../plugins/panels/preview/manifest.json";
import panel_simulator from "../../plugins/panels/simulator/manifest.json";
import panel_tasks from "../../plugins/panels/tasks/manifest.json";
import panel_telegram from "../../plugins/panels/telegram/manifest.json";

/** Each builtin manifest as written in the repo, with the path it came from. */
export const builtinManifests: { file: string; json: unknown }[] = [
  { file: "plugins/agents/claude/manifest.json", json: agent_claude },
  { file: "plugins/agents/codex/manifest.json", json: agent_codex },
  { file: "plugins/agents/gemini/manifest.json", json: agent_gemini },
  { file: "plugins/agents/opencode/manifest.json", json: agent_opencode },
  { file: "plugins/agents/qwen-code/manifest.json", json: agent_qwen_code },
  { file: "plugins/agents/terminal/manifest.json", json: agent_terminal },
  { file: "plugins/panels/docs/manifest.json", json: panel_docs },
  { file: "plugins/panels/files/manifest.json", json: panel_files },
  { file: "plugins/panels/forge/manifest.json", json: panel_forge },
  { file: "plugins/panels/git/manifest.json", json: panel_git },
  { file: "plugins/panels/logs/manifest.json", json: panel_logs },
  { file: "plugins/panels/mcp/manifest.json", json: panel_mcp },
  { file: "plugins/panels/pg/manifest.json", json: panel_pg },
  { file: "plugins/panels/preview/manifest.json", json: panel_preview },
  { file: "plugins/panels/simulator/manifest.json", json: panel_simulator },
  { file: "plugins/panels/tasks/manifest.json", json: panel_tasks },
  { file: "plugins/panels/telegram/manifest.json", json: panel_telegram },
];

import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";

/** Where scripts/install-agent-clis.sh puts the five CLIs. */
export const AGENT_BIN = join(import.meta.dir, "..", "..", ".agents", "bin");

/** Puts the installed CLIs on PATH (for the server and its sessions); fails loudly when they are missing. */
export function useInstalledClis() {
  const missing = ["claude", "codex", "gemini", "opencode", "qwen"].filter((c) => !existsSync(join(AGENT_BIN, c)));
  if (missing.length)
    throw new Error(`agent CLIs not installed (${missing.join(", ")}): run scripts/install-agent-clis.sh first`);
  if (!process.env.PATH?.startsWith(AGENT_BIN)) process.env.PATH = `${AGENT_BIN}:${process.env.PATH}`;
}

export const CLAUDE_KEY = "sk-ant-api03-opendray-test-key-0000000000000000";

/**
 * Writes each CLI's own config into the test HOME (tests/preload.ts made it a temp dir): past
 * onboarding, pointing at the local model endpoints. Trust and permission dialogs stay as they are.
 */
export function writeAgentConfigs(home: string, endpoints: { openai: string }, project: string) {
  // Claude Code: onboarding done and the test API key approved; its trust dialog still appears.
  writeFileSync(
    join(home, ".claude.json"),
    JSON.stringify({
      hasCompletedOnboarding: true,
      customApiKeyResponses: { approved: [CLAUDE_KEY.slice(-20)], rejected: [] },
    }),
  );
  // Codex: a custom provider speaking the Responses API.
  mkdirSync(join(home, ".codex"), { recursive: true });
  writeFileSync(
    join(home, ".codex", "config.toml"),
    [
      'model = "stub-model"',
      'model_provider = "stub"',
      "[model_providers.stub]",
      'name = "stub"',
      `base_url = "${endpoints.openai}"`,
      // the key itself comes from the plugin config (apiKey → OPENAI_API_KEY)
      'env_key = "OPENAI_API_KEY"',
      'wire_api = "responses"',
      // its trust prompt is not what these tests are about
      `[projects."${project}"]`,
      'trust_level = "trusted"',
      "",
    ].join("\n"),
  );
  // OpenCode: an OpenAI-compatible provider as its default model.
  const xdg = process.env.XDG_CONFIG_HOME ?? join(home, ".config");
  mkdirSync(join(xdg, "opencode"), { recursive: true });
  writeFileSync(
    join(xdg, "opencode", "opencode.json"),
    JSON.stringify({
      $schema: "https://opencode.ai/config.json",
      autoupdate: false,
      share: "disabled",
      model: "stub/stub-model",
      provider: {
        stub: {
          npm: "@ai-sdk/openai-compatible",
          name: "Stub",
          options: { baseURL: endpoints.openai, apiKey: "x" },
          models: { "stub-model": { name: "Stub Model" } },
        },
      },
    }),
  );
  // Gemini CLI: API-key auth chosen, so it starts without the sign-in dialog.
  mkdirSync(join(home, ".gemini"), { recursive: true });
  const noUpdates = { enableAutoUpdate: false, enableAutoUpdateNotification: false };
  writeFileSync(
    join(home, ".gemini", "settings.json"),
    JSON.stringify({ general: noUpdates, security: { auth: { selectedType: "gemini-api-key" } } }),
  );
  // Its trust dialog restarts the CLI when answered, which races with typing: trust the project up front.
  writeFileSync(join(home, ".gemini", "trustedFolders.json"), JSON.stringify({ [project]: "TRUST_FOLDER" }));
  // Qwen Code: never update itself in the middle of a test (it does, from npm, by default).
  mkdirSync(join(home, ".qwen"), { recursive: true });
  writeFileSync(join(home, ".qwen", "settings.json"), JSON.stringify({ general: noUpdates }));
}

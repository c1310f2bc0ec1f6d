import type { Sql } from "postgres";
import { log } from "../log";
import type { StoredConfig } from "./config-values";
import type { SecretBox } from "./secret-box";

export interface PluginState {
  enabled: boolean;
  config: StoredConfig;
}

/**
 * plugin_state rows (migrations/0200_plugins.sql). A plugin without a row is enabled with no config.
 * Secrets are sealed with the SecretBox; one that no longer opens (another key) reads as unset.
 */
export class PluginStateStore {
  constructor(
    private sql: Sql,
    private box: SecretBox,
  ) {}

  private openSecrets(name: string, sealed: Record<string, string>): Record<string, string> {
    const out: Record<string, string> = {};
    for (const [key, value] of Object.entries(sealed)) {
      const plain = this.box.open(value);
      if (plain === null)
        log.warn("plugin secret cannot be decrypted; treating it as unset", { plugin: name, field: key });
      else out[key] = plain;
    }
    return out;
  }

  async all(): Promise<Map<string, PluginState>> {
    const rows = await this.sql<
      { name: string; enabled: boolean; config: StoredConfig["values"]; secrets: StoredConfig["secrets"] }[]
    >`
      SELECT name, enabled, config, secrets FROM plugin_state`;
    return new Map(
      rows.map((r) => [
        r.name,
        { enabled: r.enabled, config: { values: r.config, secrets: this.openSecrets(r.name, r.secrets) } },
      ]),
    );
  }

  async setEnabled(name: string, enabled: boolean) {
    await this.sql`
      INSERT INTO plugin_state (name, enabled) VALUES (${name}, ${enabled})
      ON CONFLICT (name) DO UPDATE SET enabled = EXCLUDED.enabled, updated_at = now()`;
  }

  async setConfig(name: string, config: StoredConfig) {
    const sealed = Object.fromEntries(Object.entries(config.secrets).map(([k, v]) => [k, this.box.seal(v)]));
    await this.sql`
      INSERT INTO plugin_state (name, config, secrets) VALUES (${name}, ${this.sql.json(config.values)}, ${this.sql.json(sealed)})
      ON CONFLICT (name) DO UPDATE SET config = EXCLUDED.config, secrets = EXCLUDED.secrets, updated_at = now()`;
  }
}

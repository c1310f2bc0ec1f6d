import type { Sql } from "postgres";
import type { StoredConfig } from "./config-values";

export interface PluginState {
  enabled: boolean;
  config: StoredConfig;
}

/** plugin_state rows (migrations/0200_plugins.sql). A plugin without a row is enabled with no config. */
export class PluginStateStore {
  constructor(private sql: Sql) {}

  async all(): Promise<Map<string, PluginState>> {
    const rows = await this.sql<{ name: string; enabled: boolean; config: StoredConfig["values"]; secrets: StoredConfig["secrets"] }[]>`
      SELECT name, enabled, config, secrets FROM plugin_state`;
    return new Map(rows.map((r) => [r.name, { enabled: r.enabled, config: { values: r.config, secrets: r.secrets } }]));
  }

  async setEnabled(name: string, enabled: boolean) {
    await this.sql`
      INSERT INTO plugin_state (name, enabled) VALUES (${name}, ${enabled})
      ON CONFLICT (name) DO UPDATE SET enabled = EXCLUDED.enabled, updated_at = now()`;
  }

  async setConfig(name: string, config: StoredConfig) {
    await this.sql`
      INSERT INTO plugin_state (name, config, secrets) VALUES (${name}, ${this.sql.json(config.values)}, ${this.sql.json(config.secrets)})
      ON CONFLICT (name) DO UPDATE SET config = EXCLUDED.config, secrets = EXCLUDED.secrets, updated_at = now()`;
  }
}

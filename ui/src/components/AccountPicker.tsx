import { createResource, For, Show } from "solid-js";
import { t } from "../i18n";
import { accountsApi, limitText } from "../lib/accounts";

/** The launcher's choice of Claude account; "" leaves it to the server's claude.assign policy. */
export function AccountPicker(props: { value: string; onChange: (id: string) => void }) {
  const [accounts] = createResource(() => accountsApi.list().catch(() => []));
  return (
    <Show when={(accounts() ?? []).length > 0}>
      <label>
        {t("Claude account")}
        <select name="claudeAccountId" value={props.value} onChange={(e) => props.onChange(e.currentTarget.value)}>
          <option value="">{t("Automatic")}</option>
          <For each={accounts() ?? []}>
            {(a) => (
              <option value={a.id} disabled={!a.enabled || !a.tokenFilled}>
                {[a.displayName, limitText(a)].filter(Boolean).join(" — ")}
              </option>
            )}
          </For>
        </select>
      </label>
    </Show>
  );
}

import { t } from "../../i18n";
import { pluginSettingsHref } from "../../lib/plugins-api";

/** "Set up this panel ›": where a panel that needs a setting (a repository, a host, a token) sends the user. */
export function ConfigureLink(props: { plugin: string }) {
  return (
    <a class="link configure-link" href={pluginSettingsHref(props.plugin)} data-testid="configure-link">
      {t("Open this panel's settings ›")}
    </a>
  );
}

import { t } from "../i18n";
import { ApiError, errorText } from "../lib/api";

/** Why there is no diff: a folder outside git is an empty state, not an error. */
export function DiffProblem(props: { error: unknown }) {
  const e = props.error;
  if (e instanceof ApiError && e.status === 404 && /git repository/.test(e.message))
    return (
      <div class="empty" data-testid="diff-empty">
        <p>{t("No changes to show: this session's folder is not a git repository.")}</p>
        <p class="hint">{t("Run git init there to see what the agent changes.")}</p>
      </div>
    );
  return <p class="error">{errorText(e)}</p>;
}

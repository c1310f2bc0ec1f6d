import { statusLabel } from "../lib/format";
import type { Session } from "../lib/types";

export function StatusBadge(props: { session: Pick<Session, "status" | "exitCode"> }) {
  return (
    <span class={`badge badge-${props.session.status}`} data-status={props.session.status}>
      {statusLabel(props.session)}
    </span>
  );
}

import type { EndState } from "../lib/ended";
import { statusLabel } from "../lib/format";

export function StatusBadge(props: { session: EndState }) {
  return (
    <span class={`badge badge-${props.session.status}`} data-status={props.session.status}>
      {statusLabel(props.session)}
    </span>
  );
}

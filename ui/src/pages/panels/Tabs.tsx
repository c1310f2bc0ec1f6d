import { For } from "solid-js";

/** A panel's tab row: one button a tab, the open one marked `on` and aria-selected. */
export function Tabs<T extends string>(props: {
  tabs: readonly T[];
  value: T;
  onChange: (tab: T) => void;
  label: (tab: T) => string;
}) {
  return (
    <div class="tabs" role="tablist">
      <For each={props.tabs}>
        {(tv) => (
          <button
            type="button"
            role="tab"
            aria-selected={props.value === tv}
            classList={{ tab: true, on: props.value === tv }}
            onClick={() => props.onChange(tv)}
          >
            {props.label(tv)}
          </button>
        )}
      </For>
    </div>
  );
}

const glyphs: Record<string, string> = {
  terminal: ">_",
  shell: ">_",
  claude: "✳",
  codex: "◎",
  gemini: "✦",
  opencode: "◇",
  qwen: "◆",
  "qwen-code": "◆",
  aider: "▲",
};

/** A round badge for an agent: its manifest icon when it is an image URL or an emoji, else a glyph. */
export function AgentIcon(props: { name: string; icon?: string }) {
  const isUrl = () => !!props.icon && /^(\/|https?:|data:image)/.test(props.icon);
  const text = () =>
    glyphs[props.name] ??
    (props.icon && !isUrl() && props.icon.length <= 4 ? props.icon : props.name.slice(0, 2).toUpperCase());
  return (
    <span class={`agent-icon agent-${props.name}`} aria-hidden="true">
      {isUrl() ? <img src={props.icon} alt="" width="20" height="20" /> : text()}
    </span>
  );
}

/**
 * English → 简体中文 for what the server sends a person (Web Push, Telegram). The key is the English
 * text; `{name}` placeholders, HTML tags and slash commands stay as they are.
 */
export const zhCN: Record<string, string> = {
  // Durations and account limits (push and Telegram)
  "{s} s": "{s} 秒",
  "{min} min {s} s": "{min} 分 {s} 秒",
  "{account} resets {time}": "{account} 将于 {time} 重置",
  "moved from {from} to {to}; {reset}": "已从 {from} 切换到 {to}；{reset}",
  "{account} hit its usage limit; {reset}. Switch to {other} or wait.":
    "{account} 已达到用量上限；{reset}。请切换到 {other} 或等待。",
  "{account} hit its usage limit; {reset}. No other account is free: wait.":
    "{account} 已达到用量上限；{reset}。没有其他可用账号，请等待。",

  // Web Push notifications
  "A session": "一个会话",
  "{name} hit a Claude usage limit": "{name} 已达到 Claude 用量上限",
  "{name} changed Claude account": "{name} 已切换 Claude 账号",
  "{name} says": "{name} 说",
  "{name} is waiting for you": "{name} 正在等你",
  "{name} is idle": "{name} 已空闲",
  "{name} exited": "{name} 已退出",
  "{name} exited after {ran}": "{name} 运行 {ran}后退出",
  "{name} exited with code {code}": "{name} 已退出，退出码 {code}",
  "{name} exited with code {code} after {ran}": "{name} 运行 {ran}后退出，退出码 {code}",

  // Telegram: help
  "OpenDray bot": "OpenDray 机器人",
  "running sessions, numbered": "运行中的会话（带编号）",
  "last n lines of output (default 40, max 200)": "输出的最后 n 行（默认 40，最多 200）",
  "what the terminal shows now": "终端当前显示的内容",
  "relay this chat ↔ a session": "将此聊天与会话互相转发",
  "type text + Enter into a session": "向会话输入文字并回车",
  "stop a session": "停止会话",
  "Ctrl+C, Ctrl+D, Tab, Enter to the linked session": "向已关联的会话发送 Ctrl+C、Ctrl+D、Tab、Enter",
  "answer the linked session's question": "回答已关联会话的提问",
  "this chat's id": "此聊天的 id",
  "&lt;id&gt; is a /status number, a name, an agent type or an id prefix.":
    "&lt;id&gt; 可以是 /status 中的编号、名称、智能体类型或 id 前缀。",
  "In a linked chat plain text goes to the session; replying to a notification sends to its session.":
    "在已关联的聊天中，普通文字会发送到会话；回复某条通知会发送到该通知的会话。",

  // Telegram: commands
  "Usage: {usage}": "用法：{usage}",
  "No session matches <code>{ref}</code>. Try /status.": "没有与 <code>{ref}</code> 匹配的会话。试试 /status。",
  "No running sessions.": "没有运行中的会话。",
  Sessions: "会话",
  "(no output yet)": "（还没有输出）",
  "{label} — last line": "{label} — 最后 1 行",
  "{label} — last {n} lines": "{label} — 最后 {n} 行",
  "Usage: /screen &lt;id&gt; (or /link a session first)": "用法：/screen &lt;id&gt;（或先用 /link 关联一个会话）",
  "(empty screen)": "（屏幕为空）",
  "➡ Sent {n} bytes to {label}": "➡ 已向 {label} 发送 {n} 字节",
  "✅ Stopped session <code>{id}</code>.": "✅ 已停止会话 <code>{id}</code>。",
  "📄 {n} lines of output": "📄 {n} 行输出",

  // Telegram: links and typing
  "This chat is not linked. Use /link &lt;id&gt; first.": "此聊天尚未关联会话。请先使用 /link &lt;id&gt;。",
  "Session {label} is not running.": "会话 {label} 没有在运行。",
  "🔗 Linked this chat → session {label} <code>{id}</code>.\nPlain text now goes to it; its output comes here.":
    "🔗 已将此聊天关联到会话 {label} <code>{id}</code>。\n现在普通文字会发送给它，它的输出会发到这里。",
  "Unlinked from <code>{id}</code>.": "已取消与 <code>{id}</code> 的关联。",
  "This chat was not linked.": "此聊天没有关联会话。",
  "No links.": "没有关联。",
  "(gone)": "（已不存在）",
  Links: "关联",
  "✅ Answered <b>{option}</b> → {label}": "✅ 已回答 <b>{option}</b> → {label}",
  "Not linked to a session. Use /link &lt;id&gt;, or reply to a notification.":
    "尚未关联会话。请使用 /link &lt;id&gt;，或回复一条通知。",
  "That session is no longer running.": "该会话已不再运行。",
  "✓ {n} bytes → <code>{id}</code>": "✓ {n} 字节 → <code>{id}</code>",
  "Unknown command: {command}\nTry /help.": "未知命令：{command}\n试试 /help。",

  // Telegram: access
  "You: {name}, user id <code>{id}</code>": "你：{name}，用户 id <code>{id}</code>",
  "This chat's id: <code>{id}</code> ({type})": "此聊天的 id：<code>{id}</code>（{type}）",
  "✅ Allowed.": "✅ 已允许。",
  "⛔ Not on the allowlist.": "⛔ 不在允许列表中。",
  "This chat is not allowed.": "此聊天未被允许。",
  "Sorry, this chat is not allowed to control OpenDray.\nAsk the owner to add chat id <code>{id}</code> to the allowlist (/whoami shows it).":
    "抱歉，此聊天无权控制 OpenDray。\n请让所有者把聊天 id <code>{id}</code> 加入允许列表（/whoami 可查看）。",

  // Telegram: prompts and buttons
  "📺 Screen": "📺 屏幕",
  "✅ Submit": "✅ 提交",
  "💬 Reply to this message to answer.": "💬 回复此消息即可作答。",
  "❓ {label} asks:": "❓ {label} 提问：",
  "Expired: the prompt is no longer open.": "已过期：该提问已关闭。",
  "Session is gone": "会话已不存在",
  Screen: "屏幕",
  "Already answered or expired": "已回答或已过期",
  "the session": "该会话",
  Expired: "已过期",
  "Pick at least one option": "请至少选择一个选项",
  "Submitted:": "已提交：",
  "Chosen:": "已选择：",
  "Unknown button": "未知按钮",

  // Telegram: notifications
  "🟡 Session {label} is <b>idle</b>": "🟡 会话 {label} <b>已空闲</b>",
  "Reply to this message → input goes to the session.": "回复此消息 → 内容会输入到该会话。",
  unknown: "未知",
  "Session {label} exited (status: {status})": "会话 {label} 已退出（状态：{status}）",
  "Session {label} exited (status: {status}) after {ran}": "会话 {label} 运行 {ran}后退出（状态：{status}）",
  "Answered elsewhere.": "已在别处回答。",
  "Something went wrong; see the server log.": "出错了，请查看服务器日志。",
  "✅ OpenDray test message": "✅ OpenDray 测试消息",
};

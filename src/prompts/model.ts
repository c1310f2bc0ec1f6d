/** What clients see: `GET /prompt`, WS `{"type":"prompt",…}`, Telegram keyboards. */
export interface Prompt {
  id: string;
  sessionId: string;
  agent: string;
  kind: string;
  question: string;
  options: { key: string; label: string; checked?: boolean }[];
  multi: boolean;
  detectedAt: string;
}

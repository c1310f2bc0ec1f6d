import { t } from "../i18n";

/** The browser's speech recognition (Chrome, Safari, Edge), or null where there is none. */
interface Recognition {
  lang: string;
  interimResults: boolean;
  continuous: boolean;
  onresult:
    | ((e: {
        resultIndex: number;
        results: ArrayLike<ArrayLike<{ transcript: string }> & { isFinal: boolean }>;
      }) => void)
    | null;
  onend: (() => void) | null;
  onerror: ((e: { error: string }) => void) | null;
  start(): void;
  stop(): void;
}
type RecognitionCtor = new () => Recognition;

const ctor = (): RecognitionCtor | null => {
  const w = window as unknown as { SpeechRecognition?: RecognitionCtor; webkitSpeechRecognition?: RecognitionCtor };
  return w.SpeechRecognition ?? w.webkitSpeechRecognition ?? null;
};

export const speechAvailable = () => ctor() !== null;

/** Starts dictation; `onText` gets the recognised text so far (final and interim). Returns stop. */
export function dictate(opts: {
  onText: (text: string, final: boolean) => void;
  onEnd: () => void;
  onError: (message: string) => void;
}): () => void {
  const C = ctor();
  if (!C) {
    opts.onError(t("speech recognition is not available in this browser"));
    opts.onEnd();
    return () => {};
  }
  const r = new C();
  r.lang = navigator.language || "en-US";
  r.interimResults = true;
  r.continuous = false;
  r.onresult = (e) => {
    let text = "";
    let final = true;
    for (let i = 0; i < e.results.length; i++) {
      const res = e.results[i];
      if (!res) continue;
      text += res[0]?.transcript ?? "";
      if (!res.isFinal) final = false;
    }
    opts.onText(text, final);
  };
  r.onerror = (e) => opts.onError(e.error === "not-allowed" ? t("microphone access was refused") : e.error);
  r.onend = () => opts.onEnd();
  r.start();
  return () => r.stop();
}

// JSON from files that may be damaged: undefined instead of a throw, for the caller to judge.
export function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

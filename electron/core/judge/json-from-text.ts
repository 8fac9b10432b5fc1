/**
 * Reads a JSON object out of a model's plain-text answer, for servers without structured
 * output: the whole text, else a ```json fenced block, else the outermost {...}. Returns null
 * when none of them parses, so the caller can say what the model said instead.
 */
export function jsonFromText(text: string): unknown {
  const candidates: string[] = [text.trim()];
  const fence = /```(?:json)?\s*([\s\S]*?)```/i.exec(text);
  if (fence) candidates.push(fence[1].trim());
  const first = text.indexOf('{');
  const last = text.lastIndexOf('}');
  if (first >= 0 && last > first) candidates.push(text.slice(first, last + 1));
  for (const c of candidates) {
    try {
      const v: unknown = JSON.parse(c);
      if (v && typeof v === 'object' && !Array.isArray(v)) return v;
    } catch {
      // try the next reading
    }
  }
  return null;
}

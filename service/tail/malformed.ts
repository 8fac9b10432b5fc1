/** The ways a tail event can be broken, for the client's quarantine tests (fault malformed-rate). */
export function malformedEvent(data: string, random: () => number): string {
  const kind = Math.floor(random() * 4);
  const record = JSON.parse(data) as Record<string, unknown>;
  switch (kind) {
    case 0:
      return data.slice(0, Math.floor(data.length / 2)); // cut JSON
    case 1: {
      delete record.request_id;
      delete record.ts;
      return JSON.stringify(record); // missing fields
    }
    case 2:
      return JSON.stringify({ ...record, latency_ms: 'fast', judge_score: 'high' }); // wrong types
    default:
      return JSON.stringify({ ...record, prompt: 'x'.repeat(1_048_576) }); // a 1 MB prompt
  }
}

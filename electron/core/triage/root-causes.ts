/** The root causes a triage label can name; the order is the keyboard order (keys 1–5). */
export const rootCauses = ['retrieval_miss', 'hallucination', 'format_break', 'safety', 'other'] as const;
export type RootCause = (typeof rootCauses)[number];

export const rootCauseLabels: Record<RootCause, string> = {
  retrieval_miss: 'Retrieval miss',
  hallucination: 'Hallucination',
  format_break: 'Format break',
  safety: 'Safety',
  other: 'Other',
};

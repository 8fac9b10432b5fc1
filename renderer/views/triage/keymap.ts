import type { RootCause } from '../../store/triage-store';

/** One key per root cause, in the order annotators learn them. */
export const ROOT_CAUSE_KEYS: Array<{ key: string; cause: RootCause; label: string }> = [
  { key: '1', cause: 'retrieval_miss', label: 'Retrieval miss' },
  { key: '2', cause: 'hallucination', label: 'Hallucination' },
  { key: '3', cause: 'format_break', label: 'Format break' },
  { key: '4', cause: 'safety', label: 'Safety' },
  { key: '5', cause: 'other', label: 'Other' },
];

export const OTHER_KEYS: Array<{ keys: string; what: string }> = [
  { keys: 'a / Enter', what: 'accept the suggested label (LLM suggestions, when configured)' },
  { keys: 'n', what: 'add a note (Enter saves, Esc cancels)' },
  { keys: 'p', what: 'promote to the eval set with the expected behaviour' },
  { keys: 'd', what: 'dismiss (not a real failure)' },
  { keys: 'u / Ctrl+Z', what: 'undo the last action' },
  { keys: 'j / ↓', what: 'next case' },
  { keys: 'k / ↑', what: 'previous case' },
  { keys: 't', what: 'auto-advance on/off' },
  { keys: '?', what: 'this help' },
];

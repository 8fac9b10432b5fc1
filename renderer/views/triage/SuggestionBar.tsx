import type { CallOutput } from '../../../shared/api';
import { useJudge } from '../../store/judge-store';

const NAMES: Record<string, string> = {
  retrieval_miss: 'Retrieval miss',
  hallucination: 'Hallucination',
  format_break: 'Format break',
  safety: 'Safety',
  other: 'Other',
};

/**
 * The LLM's suggested root cause for the case on screen, with its confidence, rationale
 * (model output: untrusted, rendered as text), tokens and latency — or why there is none.
 */
export function SuggestionBar({ caseId }: { caseId: string }) {
  const { settings, suggestions, pending, suggest, toggleSettings } = useJudge();
  if (!settings) return null;
  if (!settings.configured) {
    return (
      <div className="suggestion muted" data-testid="suggestion">
        No LLM suggestions: {settings.hint}{' '}
        <button onClick={() => toggleSettings(true)}>LLM settings</button>
      </div>
    );
  }
  const r: CallOutput<'triageSuggest'> | undefined = suggestions[caseId];
  if (!r || pending[caseId]) return <div className="suggestion muted" data-testid="suggestion">Asking {settings.model} for a suggestion…</div>;
  if (r.status === 'unconfigured') return <div className="suggestion muted" data-testid="suggestion">{r.hint}</div>;
  if (r.status === 'error') {
    return (
      <div className="suggestion error-note" role="alert" data-testid="suggestion">
        No suggestion: {r.error.message}
        {r.error.hint && <div className="hint">{r.error.hint}</div>}
        <button onClick={() => void suggest(caseId, [], true)}>Ask again</button>
      </div>
    );
  }
  return (
    <div className="suggestion" data-testid="suggestion">
      <strong>Suggested: {NAMES[r.suggestion.root_cause]}</strong> ({Math.round(r.suggestion.confidence * 100)}%) — press <kbd>a</kbd> to accept
      <div className="muted">{r.suggestion.rationale}</div>
      <div className="muted" data-testid="suggestion-meta">
        {r.model} · {r.tokens.prompt} + {r.tokens.completion} tokens · {Math.round(r.ms)} ms{r.prefetched ? ' · prefetched' : ''}
        {r.structured ? '' : ' · JSON read from plain text'} · session: {r.stats.promptTokens + r.stats.completionTokens} tokens,{' '}
        {r.stats.prefetchHits}/{r.stats.asked} prefetch hits
      </div>
    </div>
  );
}

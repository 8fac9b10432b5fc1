import { useCallback, useEffect, useMemo, useState } from 'react';
import { ErrorNote } from '../../app/ErrorNote';
import { useJudge } from '../../store/judge-store';
import { useTriage, type StatusFilter } from '../../store/triage-store';
import { useWorkspace } from '../../store/workspace-store';
import { useNav } from '../../store/nav-store';
import { CaseDetail } from './CaseDetail';
import { KeyHelp } from './KeyHelp';
import { LlmSettings } from './LlmSettings';
import { RejudgePanel } from './RejudgePanel';
import { ServiceBar } from './ServiceBar';
import { SuggestionBar } from './SuggestionBar';
import { ROOT_CAUSE_KEYS } from './keymap';
import { RootCauseChart } from './RootCauseChart';
import { TextPrompt } from './TextPrompt';
import { useTriageKeys } from './use-triage-keys';

/** Triage: work through failures with one key each, and promote the real ones to the eval set. */
export function TriageView() {
  const workspace = useWorkspace((s) => s.summary);
  const go = useNav((s) => s.go);
  const t = useTriage();
  const current = t.queue?.cases[t.index] ?? null;
  const detail = current ? t.details[current.case_id] : undefined;
  const [exportPath, setExportPath] = useState('');

  const judge = useJudge();
  useEffect(() => {
    judge.reset();
    if (workspace) {
      void judge.loadSettings();
      void t.loadPushes();
    }
    if (workspace) void t.load();
    // Reload when the workspace changes, not on every store update.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [workspace?.dir]);
  useEffect(() => {
    if (workspace && !exportPath) setExportPath(`${workspace.dir}/eval-set.jsonl`);
  }, [workspace, exportPath]);

  // The suggestion for the case on screen; the core prefetches the next few open cases.
  const configured = judge.settings?.configured ?? false;
  useEffect(() => {
    if (!current || !configured) return;
    const next = (t.queue?.cases ?? []).slice(t.index + 1).filter((c) => c.status === 'open').slice(0, 3).map((c) => c.case_id);
    void judge.suggest(current.case_id, next);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [current?.case_id, configured]);

  const accept = useCallback(() => {
    // One key labels with the LLM's suggestion, and the label event records it.
    const tr = useTriage.getState();
    const c = tr.queue?.cases[tr.index];
    const r = c ? useJudge.getState().suggestions[c.case_id] : undefined;
    if (!c || r?.status !== 'ok') return;
    void tr.label(r.suggestion.root_cause, { confidence: r.suggestion.confidence, rationale: r.suggestion.rationale, model: r.model });
  }, []);
  useTriageKeys(accept);

  const counts = t.queue?.counts;
  const done = counts ? counts.labelled + counts.promoted + counts.dismissed : 0;
  const total = counts ? done + counts.open : 0;
  const median = useMemo(() => {
    const xs = [...t.keyToNextMs].sort((a, b) => a - b);
    return xs.length ? xs[Math.floor(xs.length / 2)] : null;
  }, [t.keyToNextMs]);

  if (!workspace) {
    return (
      <div className="view">
        <h1>Triage</h1>
        <p className="muted">Triage works in a workspace: its labels are saved there.</p>
        <button onClick={() => go('data')}>Open a workspace</button>
      </div>
    );
  }

  return (
    <div className="view triage-view">
      <div className="row">
        <h1 className="grow">Triage</h1>
        <span className="muted" data-testid="triage-progress">
          {done} / {total} done · {t.queue?.labelsLastHour ?? 0} labels in the last hour
          {t.queue?.conversion != null && ` · ${(t.queue.conversion * 100).toFixed(0)}% promoted`}
          {median != null && ` · ${median.toFixed(0)} ms key → next`}
        </span>
        <button onClick={() => judge.toggleSettings()} title="OpenAI-compatible server for suggested labels">LLM settings</button>
        <button onClick={() => t.toggleHelp()} title="Keyboard shortcuts (?)">?</button>
      </div>
      <div className="row wrap">
        <label className="muted" htmlFor="triage-status">Show</label>
        <select id="triage-status" value={t.status} onChange={(e) => void t.setFilter({ status: e.target.value as StatusFilter })}>
          <option value="todo">to do</option>
          <option value="all">all</option>
          <option value="labelled">labelled</option>
          <option value="promoted">promoted</option>
          <option value="dismissed">dismissed</option>
        </select>
        <label className="muted" htmlFor="triage-source">Source</label>
        <select id="triage-source" value={t.source} onChange={(e) => void t.setFilter({ source: e.target.value })}>
          <option value="">any</option>
          {t.queue?.sources.map((s) => <option key={s} value={s}>{s}</option>)}
        </select>
        <label className="muted" htmlFor="triage-version">Version</label>
        <select id="triage-version" value={t.version} onChange={(e) => void t.setFilter({ version: e.target.value })}>
          <option value="">any</option>
          {t.queue?.versions.map((v) => <option key={v} value={v}>{v}</option>)}
        </select>
        <button onClick={() => void t.collect()} title="Run the auto-flag rules over the workspace">Collect from rules</button>
        <span className="grow" />
        <input aria-label="Eval set file" className="path-input" value={exportPath} onChange={(e) => setExportPath(e.target.value)} spellCheck={false} />
        <button onClick={() => void t.exportEvalSet(exportPath)} disabled={!exportPath}>Export eval set</button>
      </div>
      <ServiceBar />
      {judge.showSettings && <LlmSettings />}
      {judge.error && <ErrorNote error={judge.error} />}
      {t.error && <ErrorNote error={t.error} />}
      {t.info && <div className="info" role="status">{t.info}</div>}

      {!current && t.queue && (
        <p className="muted">
          Nothing {t.status === 'todo' ? 'left to do' : 'here'}. {t.status === 'todo' && 'Collect cases from the rules, or send a slice from the Slices view.'}
        </p>
      )}

      {current && (
        <div className="triage-grid">
          <section className="case" aria-label="Case">
            <div className="case-head row">
              <strong data-testid="case-position">{t.index + 1} / {t.queue!.cases.length}</strong>
              <code className="muted">{current.request_id}</code>
              <span className={`status status-${current.status}`} data-testid="case-status">{current.status}</span>
              {current.root_cause && <span className="badge" data-testid="case-root-cause">{current.root_cause.replace('_', ' ')}</span>}
              <span className="muted grow">{current.sources.join(', ')}{current.slice ? ` · ${current.slice}` : ''}</span>
              <span className="muted" role="status" aria-live="polite" data-testid="saved">
                {t.saved?.caseId === current.case_id ? `✓ ${t.saved.what}` : ''}
                {t.saving > 0 ? ` saving ${t.saving}…` : t.saved && t.saved.caseId !== current.case_id ? ` ✓ all saved` : ''}
              </span>
            </div>
            <div className="keys-bar" aria-label="Root cause keys">
              {ROOT_CAUSE_KEYS.map((k) => (
                <button key={k.key} onClick={() => void t.label(k.cause)} className={current.root_cause === k.cause ? 'active' : ''}>
                  <kbd>{k.key}</kbd> {k.label}
                </button>
              ))}
              <button onClick={() => t.setMode('promote')}><kbd>p</kbd> Promote</button>
              <button onClick={() => void t.act('dismiss')}><kbd>d</kbd> Dismiss</button>
              <button onClick={() => void t.undo()}><kbd>u</kbd> Undo</button>
              <label className="muted"><input type="checkbox" checked={t.autoAdvance} onChange={() => t.toggleAutoAdvance()} /> auto-advance</label>
            </div>
            {t.mode === 'note' && (
              <TextPrompt label="Note" initial={current.note ?? ''} onSubmit={(v) => void t.act('note', v)} onCancel={() => t.setMode('keys')} />
            )}
            {t.mode === 'promote' && (
              <TextPrompt
                label="Expected behaviour"
                initial={current.expected ?? ''}
                placeholder="What should the answer have been? (Enter promotes)"
                onSubmit={(v) => void t.act('promote', v)}
                onCancel={() => t.setMode('keys')}
              />
            )}
            {current.note && t.mode !== 'note' && <p className="note">Note: {current.note}</p>}
            <SuggestionBar caseId={current.case_id} />
            {detail ? <CaseDetail detail={detail} /> : <p className="muted">Loading the request…</p>}
          </section>
          <aside className="triage-side">
            <RootCauseChart data={t.queue?.rootCauses ?? []} />
            <RejudgePanel caseId={current.case_id} slice={current.slice} version={current.model_version} />
          </aside>
        </div>
      )}
      {t.showHelp && <KeyHelp onClose={() => t.toggleHelp()} />}
    </div>
  );
}

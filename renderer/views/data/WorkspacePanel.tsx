import { useEffect, useState } from 'react';
import { client } from '../../api/client';
import { ErrorNote } from '../../app/ErrorNote';
import { useWorkspace } from '../../store/workspace-store';
import { SyncPanel } from './SyncPanel';

/** The start of the desk: open a workspace folder, a recent one, or the bundled sample. */
export function WorkspacePanel() {
  const { status, summary, recent, error, loadRecent, open, refresh } = useWorkspace();
  const [dir, setDir] = useState('');
  const [sample, setSample] = useState<string | null>(null);

  useEffect(() => {
    void loadRecent();
    client.call('appInfo', {}).then((info) => setSample(info.sampleDataPath), () => {});
  }, [loadRecent]);

  const busy = status === 'opening';
  return (
    <section className="open-panel" aria-label="Workspace">
      {summary ? (
        <div className="row">
          <strong>{summary.name}</strong>
          <code className="muted grow" title={summary.dir}>{summary.dir}</code>
          <span className="muted" data-testid="workspace-import">
            {summary.lastImport.filesIngested > 0
              ? `imported ${summary.lastImport.filesIngested} new partition${summary.lastImport.filesIngested === 1 ? '' : 's'}`
              : 'up to date'}
            {summary.duplicates > 0 ? ` · ${summary.duplicates.toLocaleString('en-US')} duplicate request ids skipped` : ''}
          </span>
          <button disabled={busy} onClick={() => void refresh()} title="Import partitions that arrived since opening">Refresh</button>
        </div>
      ) : (
        <p className="muted">A workspace is a folder of synced exports plus Loupe's own state (roles, labels). Open one, or look at files read-only below.</p>
      )}
      <form
        className="row"
        onSubmit={(e) => {
          e.preventDefault();
          if (dir.trim()) void open(dir.trim());
        }}
      >
        <label htmlFor="workspace-dir" className="muted">Workspace folder</label>
        <input id="workspace-dir" className="grow" placeholder="/path/to/workspace (created if missing)" value={dir} onChange={(e) => setDir(e.target.value)} spellCheck={false} />
        <button type="submit" disabled={busy || !dir.trim()}>Open workspace</button>
      </form>
      <div className="row wrap">
        {sample && (
          <button className="link" disabled={busy} onClick={() => void open(sample)}>Open the sample workspace</button>
        )}
        {recent.map((w) => (
          <button key={w.dir} className="link" title={w.dir} disabled={busy} onClick={() => void open(w.dir)}>
            {w.name}
          </button>
        ))}
      </div>
      {summary && <SyncPanel />}
      {error && <ErrorNote error={error} />}
    </section>
  );
}

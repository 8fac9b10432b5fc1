import { useEffect, useState } from 'react';
import { useWorkspace } from '../../store/workspace-store';

const mb = (b: number) => `${(b / 2 ** 20).toFixed(1)} MB`;

/**
 * The service this workspace syncs from. The token field is write-only: the core stores the
 * token (safeStorage in the desktop app, a 0600 file in browser mode) and never sends it back.
 */
export function SyncPanel() {
  const { connection, syncing, syncProgress: p, syncResult: r, saveConnection, sync, cancelSync } = useWorkspace();
  const [url, setUrl] = useState('');
  const [token, setToken] = useState('');
  useEffect(() => {
    if (connection?.url) setUrl(connection.url);
  }, [connection?.url]);

  return (
    <div className="sync-panel" aria-label="Sync from the service" role="group">
      <form
        className="row"
        onSubmit={(e) => {
          e.preventDefault();
          void saveConnection(url.trim(), token.trim()).then(() => setToken(''));
        }}
      >
        <label htmlFor="service-url" className="muted">Service</label>
        <input id="service-url" className="grow" placeholder="http://127.0.0.1:8787" value={url} onChange={(e) => setUrl(e.target.value)} spellCheck={false} />
        <label htmlFor="service-token" className="muted">Token</label>
        <input
          id="service-token"
          type="password"
          autoComplete="off"
          placeholder={connection?.hasToken ? 'saved (type to replace)' : 'bearer token'}
          value={token}
          onChange={(e) => setToken(e.target.value)}
        />
        <button type="submit" disabled={!url.trim()}>Save</button>
        {syncing ? (
          <button type="button" onClick={() => void cancelSync()}>Cancel sync</button>
        ) : (
          <button type="button" disabled={!connection?.url || !connection.hasToken} onClick={() => void sync()}>Sync now</button>
        )}
      </form>
      {connection?.warning && <p className="muted">⚠ {connection.warning}</p>}
      {syncing && p && (
        <div className="row" role="status" aria-live="polite" data-testid="sync-progress">
          <progress max={Math.max(1, p.bytesTotal)} value={p.bytesDone} />
          <span className="muted">
            {p.filesDone}/{p.filesTotal} files · {mb(p.bytesDone)} of {mb(p.bytesTotal)} · {mb(p.bytesPerSecond)}/s
            {p.etaSeconds != null && ` · ${Math.ceil(p.etaSeconds)} s left`}
          </span>
        </div>
      )}
      {r && !syncing && (
        <p className="muted" role="status" data-testid="sync-result">
          Synced: {r.downloaded} downloaded, {r.skipped} already here ({mb(r.bytes)} in {r.seconds.toFixed(1)} s)
          {r.failed.length > 0 && <span className="error-text"> · {r.failed.length} failed: {r.failed.map((f) => `${f.id} (${f.message})`).join('; ')}</span>}
        </p>
      )}
    </div>
  );
}

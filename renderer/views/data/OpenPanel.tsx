import { useState } from 'react';
import type { CallOutput } from '../../../shared/api';
import { toErrorValue, type LoupeErrorValue } from '../../../shared/errors';
import { bridge, client } from '../../api/client';
import { recentPaths, useData } from '../../store/data-store';
import { ErrorNote } from '../../app/ErrorNote';

type Listing = CallOutput<'listDirectory'>;

/**
 * Where files are opened. Electron gets the native dialog (and drag-and-drop on the window);
 * browser mode gets a path field and a folder browser served by the core, since a web page
 * cannot learn real file paths.
 */
export function OpenPanel() {
  const open = useData((s) => s.open);
  const openFromDialog = useData((s) => s.openFromDialog);
  const status = useData((s) => s.status);
  const [path, setPath] = useState('');
  const [listing, setListing] = useState<Listing | null>(null);
  const [browseError, setBrowseError] = useState<LoupeErrorValue | null>(null);
  const browse = async (dir?: string) => {
    try {
      setBrowseError(null);
      setListing(await client.call('listDirectory', { path: dir }));
    } catch (err) {
      setBrowseError(toErrorValue(err));
    }
  };

  const submit = (e: React.FormEvent) => {
    e.preventDefault();
    const paths = path.split(/\n|,(?=\s*\/)/).map((p) => p.trim()).filter(Boolean);
    if (paths.length) void open(paths);
  };

  const busy = status === 'opening';
  return (
    <section className="open-panel" aria-label="Open Parquet files">
      {bridge && (
        <div className="row">
          <button disabled={busy} onClick={() => void openFromDialog('files')}>Open files…</button>
          <button disabled={busy} onClick={() => void openFromDialog('folder')}>Open folder…</button>
          <span className="muted">or drop .parquet files or folders anywhere on the window</span>
        </div>
      )}
      <form className="row" onSubmit={submit}>
        <label htmlFor="open-path" className="muted" title="Files are read in place and never changed">Files (read-only)</label>
        <input
          id="open-path"
          className="grow"
          placeholder="/path/to/export.parquet, a folder, or a glob like /logs/**/*.parquet"
          value={path}
          onChange={(e) => setPath(e.target.value)}
          spellCheck={false}
        />
        <button type="submit" disabled={busy || !path.trim()}>Open</button>
        <button type="button" onClick={() => (listing ? setListing(null) : browse(path.trim() || undefined))}>
          {listing ? 'Hide browser' : 'Browse…'}
        </button>
      </form>
      <div className="row wrap">
        {recentPaths().slice(0, 4).map((p) => (
          <button key={p.join('|')} className="link" title={p.join('\n')} onClick={() => open(p)}>
            {shortName(p)}
          </button>
        ))}
      </div>
      {browseError && <ErrorNote error={browseError} />}
      {listing && <FolderBrowser listing={listing} onBrowse={browse} onOpen={(p) => open([p])} />}
    </section>
  );
}

function FolderBrowser({ listing, onBrowse, onOpen }: { listing: Listing; onBrowse: (p: string) => void; onOpen: (p: string) => void }) {
  const parquetCount = listing.entries.filter((e) => e.kind === 'parquet').length;
  return (
    <div className="folder-browser" aria-label="Folder browser">
      <div className="row">
        <code className="grow">{listing.path}</code>
        {listing.parent && <button onClick={() => onBrowse(listing.parent!)}>Up</button>}
        <button onClick={() => onOpen(listing.path)}>Open this folder{parquetCount ? ` (${parquetCount} here)` : ''}</button>
      </div>
      <ul>
        {listing.entries.map((e) => (
          <li key={e.path}>
            {e.kind === 'dir' ? (
              <button className="link" onClick={() => onBrowse(e.path)}>📁 {e.name}</button>
            ) : e.kind === 'parquet' ? (
              <button className="link" onClick={() => onOpen(e.path)}>▦ {e.name}</button>
            ) : (
              <span className="muted">{e.name}</span>
            )}
          </li>
        ))}
      </ul>
    </div>
  );
}

function shortName(paths: string[]): string {
  const first = paths[0].split(/[\\/]/).filter(Boolean).pop() ?? paths[0];
  return paths.length > 1 ? `${first} +${paths.length - 1}` : first;
}

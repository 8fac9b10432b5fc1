import { useData } from '../../store/data-store';
import { useWorkspace } from '../../store/workspace-store';
import { ErrorNote } from '../../app/ErrorNote';
import { RolesEditor } from './RolesEditor';
import { WorkspacePanel } from './WorkspacePanel';
import { ColumnsTable } from './ColumnsTable';
import { OpenPanel } from './OpenPanel';
import { RowsTable } from './RowsTable';

/** Data: open Parquet exports and see what is in them. */
export function DataView() {
  const { status, summary, error, progress } = useData();
  const workspace = useWorkspace((s) => s.summary);
  const isWorkspace = Boolean(workspace && summary && workspace.dataset?.datasetId === summary.datasetId);
  return (
    <div className="view data-view">
      <h1>Data</h1>
      <WorkspacePanel />
      <OpenPanel />
      {status === 'opening' && (
        <div className="progress" role="status" aria-live="polite">
          {progress ? `${progress.label}${progress.total ? ` ${progress.done}/${progress.total}` : ''}…` : 'Opening…'}
        </div>
      )}
      {error && <ErrorNote error={error} />}
      {summary && (
        <>
          <section className="summary" aria-label="Dataset summary">
            <div className="stat">
              <span className="label">Rows</span>
              <span className="value" data-testid="row-count">{summary.rows.toLocaleString('en-US')}</span>
            </div>
            <div className="stat">
              <span className="label">Files</span>
              <span className="value">{summary.fileCount}</span>
            </div>
            <div className="stat">
              <span className="label">Columns</span>
              <span className="value">{summary.columns.length}</span>
            </div>
            <div className="stat wide">
              <span className="label">Time range{summary.timestampColumn ? ` (${summary.timestampColumn})` : ''}</span>
              <span className="value" data-testid="time-range">
                {summary.timeRange ? `${fmt(summary.timeRange.min)} → ${fmt(summary.timeRange.max)}` : 'no timestamp column'}
              </span>
            </div>
            {summary.hivePartitions.length > 0 && (
              <div className="stat">
                <span className="label">Partitions</span>
                <span className="value">{summary.hivePartitions.join(', ')}</span>
              </div>
            )}
          </section>
          {summary.problems.length > 0 && (
            <section className="problems" aria-label="Problems">
              <h2>{summary.problems.length} problem{summary.problems.length === 1 ? '' : 's'} — the rest loaded</h2>
              {summary.problems.map((p) => (
                <ErrorNote key={`${p.file}:${p.code}`} error={{ code: 'bad_input', message: p.message, file: p.file, column: p.column, hint: p.hint }} />
              ))}
            </section>
          )}
          {isWorkspace && workspace?.roles && (
            <RolesEditor columns={summary.columns} mapping={workspace.roles} guessed={workspace.rolesGuessed} />
          )}
          <h2>Columns</h2>
          <ColumnsTable columns={summary.columns} />
          <h2>Rows</h2>
          <RowsTable key={summary.datasetId} columns={summary.columns} rows={summary.rows} />
        </>
      )}
    </div>
  );
}

function fmt(iso: string): string {
  return iso.replace('T', ' ').replace(/\.000Z$/, 'Z');
}

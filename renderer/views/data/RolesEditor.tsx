import { useEffect, useState } from 'react';
import type { ColumnStats } from '../../../shared/api';
import { ROLE_LABELS, singleRoles, type RoleMapping, type SingleRole } from '../../../shared/roles';
import { useWorkspace } from '../../store/workspace-store';


/** Column → role mapping: Loupe's guess, corrected by the user and saved in the workspace. */
export function RolesEditor({ columns, mapping, guessed }: { columns: ColumnStats[]; mapping: RoleMapping; guessed: boolean }) {
  const saveRoles = useWorkspace((s) => s.saveRoles);
  const saving = useWorkspace((s) => s.saving);
  const [draft, setDraft] = useState<RoleMapping>(mapping);
  useEffect(() => setDraft(mapping), [mapping]);

  const setRole = (role: SingleRole, column: string) => {
    const roles = { ...draft.roles };
    if (column) roles[role] = { column, path: column === draft.roles[role]?.column ? draft.roles[role]?.path : undefined };
    else delete roles[role];
    setDraft({ ...draft, roles });
  };
  const toggleDimension = (column: string) => {
    const has = draft.dimensions.some((d) => d.column === column);
    setDraft({ ...draft, dimensions: has ? draft.dimensions.filter((d) => d.column !== column) : [...draft.dimensions, { column }] });
  };
  const dirty = JSON.stringify(draft) !== JSON.stringify(mapping);
  const candidates = columns.filter((c) => (c.kind === 'text' || c.kind === 'boolean') && (c.distinct ?? 0) > 0 && (c.distinct ?? 0) <= 200);

  return (
    <section className="roles" aria-label="Column roles">
      <div className="row">
        <h2 className="grow">Roles {guessed && <span className="badge" title="Loupe guessed these from the column names and types">guessed</span>}</h2>
        <button onClick={() => void saveRoles(draft)} disabled={saving || (!dirty && !guessed)}>
          {saving ? 'Saving…' : guessed && !dirty ? 'Confirm roles' : 'Save roles'}
        </button>
      </div>
      <div className="roles-grid">
        {singleRoles.map((role) => (
          <label key={role} className="role">
            <span className="muted">{ROLE_LABELS[role]}</span>
            <select aria-label={`${ROLE_LABELS[role]} column`} value={draft.roles[role]?.column ?? ''} onChange={(e) => setRole(role, e.target.value)}>
              <option value="">— none —</option>
              {columns.map((c) => (
                <option key={c.name} value={c.name}>{c.name}</option>
              ))}
            </select>
            {draft.roles[role]?.path && <code className="muted">.{draft.roles[role]!.path!.join('.')}</code>}
          </label>
        ))}
      </div>
      <div className="row wrap" role="group" aria-label="Slice dimensions">
        <span className="muted">Slice by</span>
        {candidates.map((c) => (
          <label key={c.name} className="chip">
            <input type="checkbox" checked={draft.dimensions.some((d) => d.column === c.name)} onChange={() => toggleDimension(c.name)} />
            {c.name} <span className="muted">({c.distinct})</span>
          </label>
        ))}
        {candidates.length === 0 && <span className="muted">no low-cardinality text columns</span>}
      </div>
    </section>
  );
}

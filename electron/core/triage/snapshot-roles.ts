import type { RoleMapping } from '../../../shared/roles';
import { guessRoles } from '../workspace/guess-roles';

/**
 * Roles for a request the service's feed sent, in a workspace with no requests table yet (so
 * no saved mapping): guessed from the record's own keys and value kinds, as for a new export.
 */
export function snapshotRoles(record: Record<string, unknown>): RoleMapping {
  const columns = Object.entries(record).map(([name, v]) => ({
    name,
    type:
      typeof v === 'number' ? (Number.isInteger(v) ? 'BIGINT' : 'DOUBLE')
      : typeof v === 'boolean' ? 'BOOLEAN'
      : Array.isArray(v) ? (v.every((x) => typeof x === 'number') ? 'FLOAT[]' : 'JSON')
      : v && typeof v === 'object' ? 'JSON'
      : name === 'ts' || name.endsWith('_at') ? 'TIMESTAMP'
      : 'VARCHAR',
  }));
  return guessRoles(columns).mapping;
}

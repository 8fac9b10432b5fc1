import { diffLines, diffWordsWithSpace } from 'diff';

export interface DiffSegment {
  text: string;
  /** 'same' on both sides; 'removed' only on the left, 'added' only on the right. */
  change: 'same' | 'removed' | 'added';
}

export interface DiffRow {
  kind: 'same' | 'changed' | 'removed' | 'added';
  left: DiffSegment[] | null;
  right: DiffSegment[] | null;
}

export interface PromptDiff {
  from: string;
  to: string;
  rows: DiffRow[];
  /** Lines that differ (changed, removed or added). */
  changedLines: number;
}

const splitLines = (text: string) => text.replace(/\n$/, '').split('\n');

/**
 * A side-by-side diff of two prompt texts: lines aligned (jsdiff's Myers diff on lines), and
 * inside a changed line the words that differ, so a one-word edit to a long prompt stands out.
 * Removed lines are paired with the added lines that replace them, in order.
 */
export function promptDiff(from: string, to: string, fromText: string, toText: string): PromptDiff {
  const rows: DiffRow[] = [];
  const changes = diffLines(fromText, toText);
  for (let i = 0; i < changes.length; i++) {
    const c = changes[i];
    if (!c.added && !c.removed) {
      for (const line of splitLines(c.value)) rows.push({ kind: 'same', left: [{ text: line, change: 'same' }], right: [{ text: line, change: 'same' }] });
      continue;
    }
    const removed = c.removed ? splitLines(c.value) : [];
    const next = changes[i + 1];
    const added = c.added ? splitLines(c.value) : next?.added ? splitLines(next.value) : [];
    if (c.removed && next?.added) i++;
    for (let k = 0; k < Math.max(removed.length, added.length); k++) {
      const l = removed[k];
      const r = added[k];
      if (l != null && r != null) rows.push({ kind: 'changed', ...wordLevel(l, r) });
      else if (l != null) rows.push({ kind: 'removed', left: [{ text: l, change: 'removed' }], right: null });
      else rows.push({ kind: 'added', left: null, right: [{ text: r!, change: 'added' }] });
    }
  }
  return { from, to, rows, changedLines: rows.filter((r) => r.kind !== 'same').length };
}

function wordLevel(left: string, right: string): { left: DiffSegment[]; right: DiffSegment[] } {
  const l: DiffSegment[] = [];
  const r: DiffSegment[] = [];
  for (const c of diffWordsWithSpace(left, right)) {
    if (c.removed) l.push({ text: c.value, change: 'removed' });
    else if (c.added) r.push({ text: c.value, change: 'added' });
    else {
      l.push({ text: c.value, change: 'same' });
      r.push({ text: c.value, change: 'same' });
    }
  }
  return { left: l, right: r };
}

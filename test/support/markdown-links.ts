import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

/** A relative link in a Markdown file that does not resolve. */
export interface BrokenLink {
  file: string;
  line: number;
  target: string;
  reason: string;
}

/** The repository's Markdown files, tracked or new, without what .gitignore leaves out. */
export function markdownFiles(root: string): string[] {
  const out = execFileSync('git', ['ls-files', '--cached', '--others', '--exclude-standard', '-z', '--', '*.md'], { cwd: root, encoding: 'utf8' });
  return out
    .split('\0')
    .filter(Boolean)
    .filter((f) => fs.existsSync(path.join(root, f)));
}

/** GitHub's heading anchor: lower case, punctuation dropped, spaces to hyphens. */
export function headingSlug(heading: string): string {
  return heading
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\s_-]/gu, '')
    .replace(/\s/g, '-');
}

const blank = (s: string) => s.replace(/[^\n]/g, ' ');

/** Fenced blocks blanked, lines kept: a `#` or a link in a code block is an example. */
function stripFences(text: string): string {
  return text.replace(/^(```|~~~)[^\n]*\n[\s\S]*?^\1[^\n]*$/gm, blank);
}

/** Fenced blocks and inline code blanked, lines kept. */
function stripCode(text: string): string {
  return stripFences(text).replace(/`[^`\n]*`/g, blank);
}

function anchorsOf(file: string): Set<string> {
  const seen = new Map<string, number>();
  const anchors = new Set<string>();
  for (const m of stripFences(fs.readFileSync(file, 'utf8')).matchAll(/^#{1,6}\s+(.+?)\s*#*\s*$/gm)) {
    const slug = headingSlug(m[1]);
    const n = seen.get(slug) ?? 0;
    seen.set(slug, n + 1);
    anchors.add(n ? `${slug}-${n}` : slug);
  }
  return anchors;
}

/** Every relative link and image in `files` (paths relative to `root`) that names no existing file or heading. */
export function brokenLinks(root: string, files: string[]): BrokenLink[] {
  const broken: BrokenLink[] = [];
  for (const rel of files) {
    const abs = path.join(root, rel);
    const raw = fs.readFileSync(abs, 'utf8');
    const text = stripCode(raw);
    for (const m of text.matchAll(/!?\[[^\]]*\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)/g)) {
      const target = m[1];
      if (/^[a-z][a-z0-9+.-]*:/i.test(target)) continue; // http:, https:, mailto:
      const line = text.slice(0, m.index).split('\n').length;
      const [pathPart, anchor] = target.split('#', 2) as [string, string | undefined];
      const dest = pathPart ? path.resolve(path.dirname(abs), decodeURIComponent(pathPart)) : abs;
      if (dest !== root && !dest.startsWith(root + path.sep)) {
        broken.push({ file: rel, line, target, reason: 'points outside the repository' });
      } else if (!fs.existsSync(dest)) {
        broken.push({ file: rel, line, target, reason: 'no such file' });
      } else if (anchor && dest.endsWith('.md') && !anchorsOf(dest).has(anchor)) {
        broken.push({ file: rel, line, target, reason: `no heading #${anchor}` });
      }
    }
  }
  return broken;
}

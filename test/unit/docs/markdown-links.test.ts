import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { brokenLinks, headingSlug, markdownFiles } from '../../support/markdown-links';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..');

describe('relative links in Markdown', () => {
  it('every link in the repository names a file (and heading) that exists', () => {
    const files = markdownFiles(repo);
    expect(files).toContain('README.md');
    expect(brokenLinks(repo, files)).toEqual([]);
  });

  it('finds a missing file, a missing heading and a path outside the repository, and skips code and URLs', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'loupe-md-'));
    fs.mkdirSync(path.join(dir, 'docs'));
    fs.writeFileSync(path.join(dir, 'docs', 'a.md'), '# A page\n\n## The `x` part\n');
    fs.writeFileSync(
      path.join(dir, 'README.md'),
      [
        '[ok](docs/a.md) [ok anchor](docs/a.md#the-x-part) [dir](docs/) [web](https://example.com/x.md)',
        '[gone](docs/b.md)',
        '[bad anchor](docs/a.md#nope)',
        '[outside](../elsewhere.md)',
        '`[code](nowhere.md)`',
        '```',
        '[fenced](nowhere.md)',
        '```',
        '![img](docs/shot.png)',
      ].join('\n'),
    );
    expect(brokenLinks(dir, ['README.md']).map((b) => [b.line, b.target, b.reason])).toEqual([
      [2, 'docs/b.md', 'no such file'],
      [3, 'docs/a.md#nope', 'no heading #nope'],
      [4, '../elsewhere.md', 'points outside the repository'],
      [9, 'docs/shot.png', 'no such file'],
    ]);
  });

  it('makes GitHub heading anchors', () => {
    expect(headingSlug('Drift engine (`electron/core/drift/`)')).toBe('drift-engine-electroncoredrift');
    expect(headingSlug('What remained after fixes 1–3, measured')).toBe('what-remained-after-fixes-13-measured');
  });
});

import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { _electron as electron, expect, test } from '@playwright/test';
import { electronBinaryPath } from '../../../electron/electron-binary';
import { tempDir, writeRequestLog } from '../../support/make-parquet';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const exe = electronBinaryPath();

test.describe('Electron shell', () => {
  test.skip(!exe, "Electron's binary is not installed here (npm installs the package; the binary comes from outside the npm registry)");

  test('opens a Parquet file passed on the command line and shows it in the Data view', async () => {
    const file = path.join(tempDir('loupe-electron-'), 'log.parquet');
    await writeRequestLog(file, 2000);
    const app = await electron.launch({ executablePath: exe!, args: [repo, file] });
    try {
      const win = await app.firstWindow();
      // The renderer has the bridge and nothing of Node.
      expect(await win.evaluate(() => typeof (window as unknown as { require?: unknown }).require)).toBe('undefined');
      expect(await win.evaluate(() => typeof window.loupeBridge?.invoke)).toBe('function');
      await expect(win.getByTestId('row-count')).toHaveText('2,000');
      // window.open is denied.
      expect(await win.evaluate(() => window.open('https://example.com'))).toBeNull();
    } finally {
      await app.close();
    }
  });
});

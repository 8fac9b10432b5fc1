import fs from 'node:fs/promises';
import path from 'node:path';

/**
 * Where service tokens and API keys live: in the main process only, never sent to the
 * renderer. Electron injects a safeStorage-backed store; browser mode uses a 0600 file in
 * Loupe's home (or memory only, when asked).
 */
export interface SecretStore {
  /** How secrets are protected, shown to the user. */
  readonly kind: 'safeStorage' | 'file-0600' | 'memory';
  /** A caveat the user should see (e.g. safeStorage falling back to plain text on Linux). */
  readonly warning: string | null;
  get(key: string): Promise<string | null>;
  set(key: string, value: string | null): Promise<void>;
}

export function memorySecretStore(): SecretStore {
  const values = new Map<string, string>();
  return {
    kind: 'memory',
    warning: 'secrets are kept in memory only and are forgotten when Loupe stops',
    async get(key) {
      return values.get(key) ?? null;
    },
    async set(key, value) {
      if (value == null) values.delete(key);
      else values.set(key, value);
    },
  };
}

/** A JSON file readable by the user alone (0600), written atomically. */
export function fileSecretStore(
  file: string,
  codec: { encode(s: string): string; decode(s: string): string } = identity,
  warning: string | null = null,
): SecretStore & { file: string } {
  const read = async (): Promise<Record<string, string>> => {
    try {
      return JSON.parse(await fs.readFile(file, 'utf8')) as Record<string, string>;
    } catch {
      return {};
    }
  };
  return {
    file,
    kind: codec === identity ? 'file-0600' : 'safeStorage',
    warning,
    async get(key) {
      const v = (await read())[key];
      return v == null ? null : codec.decode(v);
    },
    async set(key, value) {
      const all = await read();
      if (value == null) delete all[key];
      else all[key] = codec.encode(value);
      await fs.mkdir(path.dirname(file), { recursive: true, mode: 0o700 });
      const tmp = `${file}.${process.pid}.tmp`;
      await fs.writeFile(tmp, JSON.stringify(all), { mode: 0o600 });
      await fs.rename(tmp, file);
      await fs.chmod(file, 0o600);
    },
  };
}

const identity = { encode: (s: string) => s, decode: (s: string) => s };

import { describe, expect, it } from 'vitest';
import { api, callNames } from '../../../shared/api';
import { LoupeError } from '../../../shared/errors';
import type { Handlers } from '../../../electron/core/core';
import { dispatch } from '../../../electron/core/dispatch';

function handlers(overrides: Partial<Handlers>): Handlers {
  const fail = async () => {
    throw new Error('not under test');
  };
  return Object.fromEntries(callNames.map((n) => [n, overrides[n] ?? fail])) as Handlers;
}

describe('the contract', () => {
  it('declares an input and an output schema for every call', () => {
    expect(callNames.length).toBeGreaterThan(3);
    for (const name of callNames) {
      expect(api[name].input, name).toBeDefined();
      expect(api[name].output, name).toBeDefined();
    }
  });
});

describe('dispatch', () => {
  it('passes validated input to the handler and wraps the value', async () => {
    let seen: unknown;
    const h = handlers({
      closeDataset: async (input) => {
        seen = input;
        return { closed: true };
      },
    });
    expect(await dispatch(h, 'closeDataset', { datasetId: '7' })).toEqual({ ok: true, value: { closed: true } });
    expect(seen).toEqual({ datasetId: '7' });
  });

  it('answers an unknown call with an error value, not a throw', async () => {
    const res = await dispatch(handlers({}), 'dropAllTables', {});
    expect(res).toMatchObject({ ok: false, error: { code: 'not_found' } });
  });

  it('rejects bad input before the handler runs, naming the field', async () => {
    let called = false;
    const h = handlers({
      previewRows: async () => {
        called = true;
        return new Uint8Array();
      },
    });
    const res = await dispatch(h, 'previewRows', { datasetId: '1', offset: -5, limit: 10 });
    expect(called).toBe(false);
    expect(res.ok).toBe(false);
    if (!res.ok) {
      expect(res.error.code).toBe('bad_input');
      expect(res.error.message).toContain('offset');
    }
    expect(await dispatch(h, 'openDataset', { paths: 'not-an-array' })).toMatchObject({ ok: false, error: { code: 'bad_input' } });
    expect(await dispatch(h, 'openDataset', null)).toMatchObject({ ok: false, error: { code: 'bad_input' } });
  });

  it('turns a handler failure into the handler’s own actionable error', async () => {
    const h = handlers({
      openDataset: async () => {
        throw new LoupeError({ code: 'corrupt_parquet', message: 'truncated', file: '/x.parquet', hint: 'download it again' });
      },
      appInfo: async () => {
        throw new TypeError('boom');
      },
    });
    expect(await dispatch(h, 'openDataset', { paths: ['/x.parquet'] })).toEqual({
      ok: false,
      error: { code: 'corrupt_parquet', message: 'truncated', file: '/x.parquet', hint: 'download it again' },
    });
    expect(await dispatch(h, 'appInfo', {})).toEqual({ ok: false, error: { code: 'internal', message: 'boom' } });
  });
});

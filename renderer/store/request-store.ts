import { create } from 'zustand';
import type { CallOutput } from '../../shared/api';
import { toErrorValue, type LoupeErrorValue } from '../../shared/errors';
import { client } from '../api/client';

type Fields = CallOutput<'requestDetail'>['fields'];

interface RequestDrawerState {
  requestId: string | null;
  fields: Fields | null;
  error: LoupeErrorValue | null;
  open(requestId: string): Promise<void>;
  close(): void;
}

/** The request drawer: one logged request in full, opened from any table of requests. */
export const useRequestDrawer = create<RequestDrawerState>((set, get) => ({
  requestId: null,
  fields: null,
  error: null,
  async open(requestId) {
    set({ requestId, fields: null, error: null });
    try {
      const { fields } = await client.call('requestDetail', { requestId });
      if (get().requestId === requestId) set({ fields });
    } catch (err) {
      if (get().requestId === requestId) set({ error: toErrorValue(err) });
    }
  },
  close() {
    set({ requestId: null, fields: null, error: null });
  },
}));

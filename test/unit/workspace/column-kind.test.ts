import { describe, expect, it } from 'vitest';
import { columnKind } from '../../../electron/core/workspace/column-kind';

describe('columnKind', () => {
  it.each([
    ['INTEGER', 'numeric'],
    ['DECIMAL(10,2)', 'numeric'],
    ['DOUBLE', 'numeric'],
    ['TIMESTAMP WITH TIME ZONE', 'temporal'],
    ['DATE', 'temporal'],
    ['BOOLEAN', 'boolean'],
    ['VARCHAR', 'text'],
    ["ENUM('a', 'b')", 'text'],
    ['FLOAT[]', 'nested'],
    ['FLOAT[32]', 'nested'],
    ['STRUCT(a INTEGER)', 'nested'],
    ['MAP(VARCHAR, INTEGER)', 'nested'],
    ['BLOB', 'other'],
  ])('%s is %s', (type, kind) => {
    expect(columnKind(type)).toBe(kind);
  });
});

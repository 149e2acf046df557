// A run record as the engine stores it, for store and CLI tests: `more` overrides any field.
import type { RunRecord } from '../../src/engine/index.ts';

export function runRecord(id: string, status: RunRecord['status'], more: Partial<RunRecord> = {}): RunRecord {
  const updatedAt = more.updatedAt ?? 1;
  return {
    version: 1,
    id,
    recipe: 'pitch',
    itemKey: id,
    input: {},
    status,
    createdAt: updatedAt,
    updatedAt,
    executions: 1,
    journal: [],
    inbox: [],
    ...more,
  };
}

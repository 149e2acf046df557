// The models the emulator serves: a list of common ids, dated snapshots included.

/** Ids answered by default; `gpt-4o-mini-2024-07-18` style snapshots of them are accepted too. */
export const DEFAULT_MODELS = [
  'gpt-4o',
  'gpt-4o-mini',
  'gpt-4.1',
  'gpt-4.1-mini',
  'gpt-4.1-nano',
  'gpt-5',
  'gpt-5-mini',
  'gpt-5-nano',
  'gpt-5.1',
  'o3',
  'o3-mini',
  'o4-mini',
] as const;

/** True when `id` is one of `models` or a dated snapshot (`-YYYY-MM-DD`) of one. */
export function isKnownModel(models: readonly string[], id: string): boolean {
  return models.includes(id) || models.includes(id.replace(/-\d{4}-\d{2}-\d{2}$/, ''));
}

/** A `model` object as `GET /models` lists it. */
export function modelObject(id: string) {
  return { id, object: 'model' as const, created: 1_700_000_000, owned_by: 'system' };
}

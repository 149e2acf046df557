// The Claude models the emulator serves, and the model objects `GET /v1/models` lists.

/** Ids answered by default (newest first, as the API lists them); dated snapshots of them are accepted too. */
export const DEFAULT_CLAUDE_MODELS = [
  'claude-opus-4-6',
  'claude-sonnet-4-6',
  'claude-opus-4-5',
  'claude-sonnet-4-5',
  'claude-haiku-4-5',
] as const;

/** True when `id` is one of `models` or a dated snapshot (`-YYYYMMDD`) of one. */
export function isKnownClaudeModel(models: readonly string[], id: string): boolean {
  return models.includes(id) || models.includes(id.replace(/-\d{8}$/, ''));
}

/** A model object as `GET /v1/models` lists it (platform.claude.com/docs/en/api/models/list). */
export function claudeModelInfo(id: string) {
  const words = id.replace(/^claude-/, '').split('-');
  const family = words.filter((w) => !/^\d+$/.test(w)).join(' ');
  const version = words.filter((w) => /^\d+$/.test(w)).join('.');
  const display = `Claude ${family.charAt(0).toUpperCase()}${family.slice(1)} ${version}`.trim();
  return { type: 'model' as const, id, display_name: display, created_at: '2025-11-01T00:00:00Z' };
}

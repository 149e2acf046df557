// How pages name a run's item and its wait in words (shared by the sandbox page and the dashboard).
import { z } from 'zod';
import type { RunRecord, Wake } from '../engine/run-record.ts';

/** A time as a page shows it: `HH:MM:SS` (local time of the machine serving the page). */
export function clockTime(ms: number | undefined): string {
  if (ms === undefined) return '–';
  return new Date(ms).toTimeString().slice(0, 8);
}

/** `2026-01-05 09:00 UTC`: unambiguous for a reader in another time zone than the server. */
export function utcTime(ms: number | undefined): string {
  if (ms === undefined) return '–';
  return `${new Date(ms).toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

/** A run's input names its lead: as the pitch recipe stores it (`lead`), or as the sheet row (`values`). */
const LeadInput = z.union([
  z.object({ lead: z.object({ name: z.string(), email: z.string() }) }).transform((i) => i.lead),
  z.object({ values: z.object({ Name: z.string(), Email: z.string() }) }).transform((i) => ({
    name: i.values.Name,
    email: i.values.Email,
  })),
]);

/** The lead's name and email when the input holds them, else the item key. */
export function itemOf(run: RunRecord): string {
  const parsed = LeadInput.safeParse(run.input);
  if (!parsed.success) return run.itemKey;
  return [parsed.data.name, parsed.data.email].filter(Boolean).join(' · ') || run.itemKey;
}

/** What a waiting run waits for; `time` formats its deadline. */
export function waitingFor(wake: Wake, time: (ms: number | undefined) => string = clockTime): string {
  if (wake.reason === 'retry') return `retrying '${wake.stepId}' at ${time(wake.at)}`;
  if (wake.reason === 'sleep') return `sleeping until ${time(wake.at)}`;
  if (wake.reason === 'paused')
    return `'${wake.stepId}' paused until ${time(wake.at)}${wake.note ? ` (${wake.note})` : ''}`;
  if (wake.key?.startsWith('trello:card:')) return 'waiting for a reviewer to move the card';
  return `waiting for ${wake.key ?? wake.stepId}`;
}

/** The run's status, taken from the engine when it holds the run in memory (fresher than the file). */
export function liveStatuses(active: readonly { id: string; status: string }[]): Map<string, string> {
  return new Map(active.map((r) => [r.id, r.status]));
}

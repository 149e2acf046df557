// The default rubric ships as recipes/pathway/rubric.md, a file a user can copy, edit and point
// PATHWAY_RUBRIC at. PATHWAY_RUBRIC may also hold the rubric's text itself.
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { brandGuidelines } from '../shared/profile.ts';

/**
 * Where the default rubric is: beside this module (sources, and the Docker image, which copies it
 * into dist), else in the sources next to a local `npm run build` (dist/recipes/pathway → recipes/pathway).
 */
const CANDIDATES = [
  new URL('./rubric.md', import.meta.url),
  new URL('../../../recipes/pathway/rubric.md', import.meta.url),
];

let cached: string | undefined;

/** The shipped rubric's text. @throws Error naming PATHWAY_RUBRIC when the file is not there */
export function defaultRubric(): string {
  if (cached !== undefined) return cached;
  for (const url of CANDIDATES) {
    const path = fileURLToPath(url);
    if (existsSync(path)) {
      cached = readFileSync(path, 'utf8');
      return cached;
    }
  }
  throw new Error(
    'the default pathway rubric (recipes/pathway/rubric.md) is missing from this install: set PATHWAY_RUBRIC to your rubric (text or a .md file)',
  );
}

/** PATHWAY_RUBRIC as text or the path of a .md/.txt file, else the shipped default. */
export function pathwayRubric(value: string | undefined): string {
  return value && value.trim() !== '' ? brandGuidelines(value.trim()) : defaultRubric();
}

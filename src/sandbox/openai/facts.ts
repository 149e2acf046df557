// Pulls the facts a prompt states ("Name: Ada", JSON blobs) so the offline model can answer per lead.

/** One fact from the prompt: the label as written and its value. */
export interface Fact {
  key: string;
  value: string;
}

/**
 * The facts of a prompt, looked up by a normalised label: case, spaces, `_` and `-` are ignored, so
 * `Company Name`, `company_name` and `companyName` are the same fact. The first mention wins.
 */
export class Facts {
  readonly #byKey = new Map<string, Fact>();

  add(key: string, value: string): void {
    const norm = normalizeKey(key);
    const text = value.trim();
    if (!norm || !text || this.#byKey.has(norm)) return;
    this.#byKey.set(norm, { key: key.trim(), value: text });
  }

  get size(): number {
    return this.#byKey.size;
  }

  all(): Fact[] {
    return [...this.#byKey.values()];
  }

  /** The value under the first of `labels` the prompt states. */
  get(...labels: string[]): string | undefined {
    for (const label of labels) {
      const fact = this.#byKey.get(normalizeKey(label));
      if (fact) return fact.value;
    }
    return undefined;
  }
}

/** `Company Name` → `companyname`: how labels and schema property names are compared. */
export function normalizeKey(key: string): string {
  return key.toLowerCase().replace(/[^a-z0-9]/g, '');
}

// "Label: value" with a short label (at most four words) that starts with a letter. A space after the
// colon is required so `https://…` and times like `10:30` are not mistaken for labels.
const LABELLED_LINE = /^\s*(?:[-*•]\s+)?([A-Za-z][A-Za-z0-9 _'/.()-]{0,39}?)\s*:\s+(\S.*)$/;

/** Every fact the texts state: labelled lines first, then the fields of any JSON object in them. */
export function extractFacts(texts: string[]): Facts {
  const facts = new Facts();
  for (const text of texts) {
    for (const line of text.split(/\r?\n/)) {
      const match = LABELLED_LINE.exec(line);
      if (!match) continue;
      const label = match[1]!;
      if (label.trim().split(/\s+/).length > 4) continue;
      facts.add(label, match[2]!);
    }
    for (const blob of jsonObjects(text)) addJsonFacts(facts, blob);
  }
  return facts;
}

function addJsonFacts(facts: Facts, value: unknown, depth = 0): void {
  if (depth > 3 || typeof value !== 'object' || value === null || Array.isArray(value)) return;
  for (const [key, field] of Object.entries(value)) {
    if (typeof field === 'string' || typeof field === 'number' || typeof field === 'boolean') {
      facts.add(key, String(field));
    } else if (Array.isArray(field) && field.every((v) => typeof v !== 'object' || v === null)) {
      facts.add(key, field.map(String).join(', '));
    } else {
      addJsonFacts(facts, field, depth + 1);
    }
  }
}

/** The JSON objects embedded in free text (outermost `{…}` spans that parse). */
function jsonObjects(text: string): unknown[] {
  const found: unknown[] = [];
  let i = text.indexOf('{');
  while (i !== -1) {
    const end = matchingBrace(text, i);
    if (end === -1) break;
    try {
      found.push(JSON.parse(text.slice(i, end + 1)));
      i = text.indexOf('{', end + 1);
    } catch {
      i = text.indexOf('{', i + 1);
    }
  }
  return found;
}

function matchingBrace(text: string, start: number): number {
  let depth = 0;
  let inString = false;
  for (let i = start; i < text.length; i++) {
    const c = text[i];
    if (inString) {
      if (c === '\\') i++;
      else if (c === '"') inString = false;
    } else if (c === '"') inString = true;
    else if (c === '{') depth++;
    else if (c === '}' && --depth === 0) return i;
  }
  return -1;
}

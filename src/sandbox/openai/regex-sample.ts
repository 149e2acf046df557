// Builds one short string that a schema `pattern` accepts, for the offline model's string fields.

/**
 * A string matching simple regular expressions: literals, escapes (`\d \w \s`), `.`, character
 * classes, groups (the first alternative is taken), and quantifiers (their minimum, one for `+`).
 * Lookarounds and back-references are skipped, so the caller must still test the result; undefined
 * when the pattern cannot be read.
 */
export function sampleRegex(pattern: string): string | undefined {
  try {
    const reader = new PatternReader(pattern);
    const out = reader.alternation();
    return reader.done ? out : undefined;
  } catch {
    return undefined;
  }
}

const CLASS_CANDIDATES = ['a', 'x', 'A', 'Z', '0', '1', '9', '_', '-', '.', ' ', '@', '+'];

class PatternReader {
  #i = 0;
  constructor(private readonly src: string) {}

  get done(): boolean {
    return this.#i >= this.src.length;
  }

  alternation(): string {
    const first = this.sequence();
    while (this.src[this.#i] === '|') {
      this.#i++;
      this.sequence();
    }
    return first;
  }

  sequence(): string {
    let out = '';
    while (!this.done && this.src[this.#i] !== '|' && this.src[this.#i] !== ')') {
      const atom = this.atom();
      out += atom.repeat(this.quantifier());
    }
    return out;
  }

  quantifier(): number {
    const c = this.src[this.#i];
    let count = 1;
    if (c === '*' || c === '?') {
      this.#i++;
      count = 0;
    } else if (c === '+') {
      this.#i++;
    } else if (c === '{') {
      const m = /^\{(\d+)(,\d*)?\}/.exec(this.src.slice(this.#i));
      if (!m) return 1;
      this.#i += m[0].length;
      count = Number(m[1]);
    } else return 1;
    if (this.src[this.#i] === '?') this.#i++;
    return count;
  }

  atom(): string {
    const c = this.src[this.#i++]!;
    if (c === '(') return this.group();
    if (c === '[') return this.charClass();
    if (c === '\\') return this.escape();
    if (c === '.') return 'a';
    if (c === '^' || c === '$') return '';
    return c;
  }

  group(): string {
    let skip = false;
    if (this.src[this.#i] === '?') {
      const head = this.src.slice(this.#i, this.#i + 3);
      if (head.startsWith('?:')) this.#i += 2;
      else if (head.startsWith('?=') || head.startsWith('?!')) {
        this.#i += 2;
        skip = true;
      } else if (head === '?<=' || head === '?<!') {
        this.#i += 3;
        skip = true;
      } else if (head.startsWith('?<')) this.#i = this.src.indexOf('>', this.#i) + 1;
    }
    const inner = this.alternation();
    if (this.src[this.#i++] !== ')') throw new Error('unclosed group');
    return skip ? '' : inner;
  }

  charClass(): string {
    const start = this.#i - 1;
    let i = this.#i;
    if (this.src[i] === '^') i++;
    if (this.src[i] === ']') i++;
    while (i < this.src.length && this.src[i] !== ']') i += this.src[i] === '\\' ? 2 : 1;
    if (i >= this.src.length) throw new Error('unclosed class');
    this.#i = i + 1;
    const source = this.src.slice(start, this.#i);
    const matcher = new RegExp(`^${source}$`, 'u');
    const first = /^\[([^\\\]^])/.exec(source)?.[1];
    return [...(first ? [first] : []), ...CLASS_CANDIDATES].find((ch) => matcher.test(ch)) ?? 'a';
  }

  escape(): string {
    const c = this.src[this.#i++];
    switch (c) {
      case 'd':
        return '1';
      case 'w':
        return 'a';
      case 's':
        return ' ';
      case 'D':
      case 'W':
      case 'S':
        return c === 'W' ? '-' : 'a';
      case 'b':
      case 'B':
        return '';
      case 'n':
        return '\n';
      case 't':
        return '\t';
      case undefined:
        throw new Error('dangling escape');
      default:
        if (/\d/.test(c)) return '';
        return c;
    }
  }
}

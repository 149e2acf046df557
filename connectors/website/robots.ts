// robots.txt: fetched once per site per fetch, with the same guards as the page; missing = allowed.
import robotsParserModule from 'robots-parser';

// The package's types declare an ES default export, but it is CommonJS: under Node's ESM the
// default import is the parser function itself.
const robotsParser = robotsParserModule as unknown as typeof robotsParserModule.default;
type Robots = ReturnType<typeof robotsParser>;

/** Reads a robots.txt body, or undefined when there is none to honour (missing, failed, refused). */
export type RobotsSource = (robotsUrl: URL) => Promise<string | undefined>;

/**
 * Answers whether robots.txt lets `agent` (the User-Agent's first word, e.g. `Baton`) read a URL.
 * Rules for `Baton` apply, else those for `*`. A robots.txt that is missing, fails or is refused
 * allows everything, as crawlers commonly treat it.
 */
export class RobotsRules {
  readonly #byOrigin = new Map<string, Robots | undefined>();

  constructor(
    private readonly source: RobotsSource,
    private readonly agent: string,
  ) {}

  async allows(url: URL): Promise<boolean> {
    if (!this.#byOrigin.has(url.origin)) {
      const robotsUrl = new URL('/robots.txt', url.origin);
      const body = await this.source(robotsUrl);
      this.#byOrigin.set(url.origin, body === undefined ? undefined : robotsParser(robotsUrl.href, body));
    }
    return this.#byOrigin.get(url.origin)?.isAllowed(url.href, this.agent) ?? true;
  }
}

/** The name robots.txt rules are matched on: `Baton` for `Baton/0.1 (+…)`. */
export function robotsAgent(userAgent: string): string {
  return userAgent.split(/[/\s]/)[0] || userAgent;
}

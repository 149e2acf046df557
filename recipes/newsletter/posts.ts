// This week's material from the content recipe's Notion database (CONTENT_NOTION_DATABASE_ID): posts
// with Status `Published` and `Publish at` in the last 7 days. Read defensively — the content recipe
// may not exist yet, or the database may be shaped differently: what cannot be read is left out, and
// the issue is written from the brief alone.
import type { NotionClient, NotionPage } from '../../connectors/notion/index.ts';
import type { Post } from './prompts.ts';

const WEEK_MS = 7 * 24 * 3_600_000;

const text = (value: unknown): string => (typeof value === 'string' ? value.trim() : '');

/** The first of these properties the page has a text value in. */
function first(page: NotionPage, names: readonly string[]): string {
  for (const name of names) {
    const value = text(page.properties[name]);
    if (value) return value;
  }
  return '';
}

/** Posts published in the 7 days before `now`, oldest first. */
export function recentPosts(pages: readonly NotionPage[], titleProperty: string, now: number): Post[] {
  const chosen: { at: number; post: Post }[] = [];
  for (const page of pages) {
    if (text(page.properties.Status) !== 'Published') continue;
    const at = Date.parse(text(page.properties['Publish at']));
    if (!Number.isFinite(at) || at > now || at < now - WEEK_MS) continue;
    const title = first(page, [titleProperty, 'Title', 'Name']);
    if (!title) continue;
    chosen.push({
      at,
      post: {
        title,
        url: first(page, ['URL', 'Link', 'Published URL']) || page.url,
        summary: first(page, ['Summary', 'Excerpt', 'Description']).slice(0, 600),
      },
    });
  }
  return chosen.sort((a, b) => a.at - b.at).map((c) => c.post);
}

/**
 * The week's posts, or an empty list with why when the database cannot be read as expected.
 * Never throws for the database's shape; a network failure does throw (the step retries it).
 */
export async function readRecentPosts(
  notion: NotionClient,
  database: string,
  now: number,
): Promise<{ posts: Post[]; note?: string }> {
  const source = await notion.dataSource(database);
  const status = source.properties.get('Status');
  const publishAt = source.properties.get('Publish at');
  if (!status || !publishAt || publishAt.type !== 'date') {
    return { posts: [], note: `'${source.name}' has no Status and Publish at (date) properties` };
  }
  const title = [...source.properties.values()].find((p) => p.type === 'title')?.name ?? 'Name';
  // Read in full and filtered here: no filter syntax that depends on Status being a select or a status.
  const pages = await notion.queryPages(database, { limit: 1000 });
  return { posts: recentPosts(pages, title, now) };
}

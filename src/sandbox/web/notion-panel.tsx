// The Notion dossier database as a person sees it: the pages with their properties, and one page
// rendered from its blocks (headings, paragraphs, lists). Block text is plain text, escaped by JSX.
import type { BlockView, PageView } from '../notion/index.ts';
import type { EmulatedWorld } from '../world.ts';
import { pageLink } from './airtable-panel.tsx';

const SHOWN = ['Status', 'Score', 'Tier', 'Company', 'Email'];

export function NotionPanel(props: { world: EmulatedWorld; view: string; dossier?: string | undefined }) {
  const { world } = props;
  const pages = world.notion.pages(world.dossiers.dataSourceId);
  const open = props.dossier ? pages.find((p) => p.id === props.dossier) : undefined;
  return (
    <section class="panel wide" id="notion" data-panel>
      <h2>Notion · Lead dossiers</h2>
      <p class="hint">One page per lead, written by Baton; its Status follows the Airtable record.</p>
      <div class="notion">
        <ul class="dossiers">
          {pages.length === 0 && <li class="empty">No dossiers yet.</li>}
          {pages.map((p) => (
            <li class={p.id === open?.id ? 'current' : ''} data-dossier={p.title}>
              <a href={`${pageLink({ view: props.view, dossier: p.id })}#notion`}>{p.title || 'Untitled'}</a>{' '}
              <span class="muted">
                {plain(p.properties.Status)} · {plain(p.properties.Score)}
              </span>
            </li>
          ))}
        </ul>
        {open ? (
          <DossierPage page={open} blocks={world.notion.blocks(open.id)} />
        ) : (
          <p class="empty">Pick a dossier to read it.</p>
        )}
      </div>
    </section>
  );
}

function DossierPage({ page, blocks }: { page: PageView; blocks: BlockView[] }) {
  return (
    <article class="notion-page" data-page={page.id}>
      <h3 class="notion-title">{page.title}</h3>
      <table class="properties">
        {SHOWN.map((name) => (
          <tr>
            <th>{name}</th>
            <td data-property={name}>{plain(page.properties[name])}</td>
          </tr>
        ))}
      </table>
      <Blocks blocks={blocks} />
    </article>
  );
}

/** Consecutive list items become one list, as Notion shows them. */
function Blocks({ blocks }: { blocks: BlockView[] }) {
  const out: unknown[] = [];
  for (let i = 0; i < blocks.length; i++) {
    const block = blocks[i]!;
    const list =
      block.type === 'bulleted_list_item' ? 'ul' : block.type === 'numbered_list_item' ? 'ol' : undefined;
    if (!list) {
      out.push(<Block block={block} />);
      continue;
    }
    const items: BlockView[] = [];
    while (i < blocks.length && blocks[i]!.type === block.type) items.push(blocks[i++]!);
    i--;
    const lines = items.map((item) => (
      <li>
        {item.text}
        {item.children.length > 0 && <Blocks blocks={item.children} />}
      </li>
    ));
    out.push(list === 'ul' ? <ul>{lines}</ul> : <ol>{lines}</ol>);
  }
  return <>{out}</>;
}

function Block({ block }: { block: BlockView }) {
  const children = block.children.length > 0 && <Blocks blocks={block.children} />;
  switch (block.type) {
    case 'heading_1':
      return <h3>{block.text}</h3>;
    case 'heading_2':
      return <h4>{block.text}</h4>;
    case 'heading_3':
      return <h5>{block.text}</h5>;
    case 'divider':
      return <hr />;
    case 'quote':
    case 'callout':
      return (
        <blockquote>
          {block.text}
          {children}
        </blockquote>
      );
    case 'code':
      return <pre>{block.text}</pre>;
    default:
      return (
        <p class={`block-${block.type}`}>
          {block.text}
          {children}
        </p>
      );
  }
}

export function plain(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (Array.isArray(value)) return value.map(String).join(', ');
  return String(value);
}

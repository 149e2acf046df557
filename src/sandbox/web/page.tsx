// The whole sandbox page: what is emulated and how to leave, the toolbar, then one panel per service.
import { raw } from 'hono/html';
import type { RunRecord } from '../../engine/run-record.ts';
import type { Baton } from '../../runtime/index.ts';
import { Document } from '../../web/document.tsx';
import type { RunIndex, RunRow } from '../../web/run-index.ts';
import { liveStatuses, utcTime } from '../../web/run-words.ts';
import type { TravelClock } from '../travel-clock.ts';
import type { EmulatedWorld } from '../world.ts';
import { AddAirtableLeadForm, AirtablePanel, ALL_LEADS } from './airtable-panel.tsx';
import { BoardPanel } from './board-panel.tsx';
import { AddContactForm, ALL_CONTACTS, ContactsPanel, SlackPanel } from './contacts-panel.tsx';
import { ContentPanel, LinkedInPanel } from './content-panel.tsx';
import { MailPanel } from './mail-panel.tsx';
import { NewsletterPanel } from './newsletter-panel.tsx';
import { NotionPanel } from './notion-panel.tsx';
import { PollersPanel, RunsPanel } from './runs-panel.tsx';
import { PAGE_SCRIPT } from './script.ts';
import { SequencePanel } from './sequence-panel.tsx';
import { AddLeadForm, SheetPanel } from './sheet-panel.tsx';
import { SlidesPanel } from './slides-panel.tsx';
import { PAGE_STYLE } from './style.ts';

const SHOWN_RUNS = 30;

export interface PageInput {
  world: EmulatedWorld;
  baton: Baton;
  clock: TravelClock;
  /** Which runs exist (kept in memory: the page does not read every run file each time). */
  runs: RunIndex;
  /** The Leads tab's name. */
  tab: string;
  /** A message from the last action (e.g. why a move was refused), shown once. */
  notice?: string | undefined;
  /** The CSP nonce that lets the page's own script run (and nothing injected). */
  nonce: string;
  refreshMs: number;
  /** The Airtable view shown (`?view=`), and the dossier open in the Notion panel (`?dossier=`). */
  view?: string | undefined;
  dossier?: string | undefined;
  /** The Contacts view shown (`?contacts=`). */
  contacts?: string | undefined;
  /** The Slides template lead decks copy (LEADS_DECK_TEMPLATE_ID), when the sandbox made one. */
  deckTemplate?: string | undefined;
}

/** The page as HTML text; every value from the world (LLM output, user input) is escaped by JSX. */
export async function renderPage(input: PageInput): Promise<string> {
  const all = await input.runs.list();
  const sequenceRuns = all.filter((row) => row.recipe === 'sequence');
  const newest = all
    .sort((a, b) => b.createdAt - a.createdAt || b.id.localeCompare(a.id))
    .slice(0, SHOWN_RUNS);
  const runs = await Promise.all(newest.map((row) => input.baton.store.getRun(row.id)));
  return String(
    <SandboxPage {...input} shown={runs.filter((run) => run !== undefined)} sequenceRuns={sequenceRuns} />,
  );
}

function SandboxPage(props: PageInput & { shown: RunRecord[]; sequenceRuns: RunRow[] }) {
  const { world, baton } = props;
  return (
    <Document title="Baton sandbox" nonce={props.nonce} style={PAGE_STYLE}>
      <body data-refresh-ms={props.refreshMs}>
        <header>
          <h1>
            <span class="sandbox-tag">SANDBOX</span>Baton
          </h1>
          <p>
            Google Sheets, Gmail, Drive, Trello, Airtable, Notion, Slides, LinkedIn and a few company websites
            are emulated inside this process, and the model is an offline sample model: its text starts with{' '}
            <b>[sample]</b>. Nothing real is touched. Baton itself is real: the same pollers, recipes (pitch,
            leads, pathway, sequence, content and newsletter) and journal as in production.
          </p>
          <p>
            To use your own accounts: <code>cp .env.example .env</code>, fill it in, <code>npm start</code> (
            <code>npm run baton -- doctor</code> checks it).
          </p>
          <div class="toolbar">
            <form method="post" action="/poll">
              <button type="submit">Poll now</button>
            </form>
            <form method="post" action="/clock/advance">
              <button type="submit">Advance the clock 48 h</button>
            </form>
            <span id="clock" data-panel class="pollers">
              Sandbox time {utcTime(props.clock.now())}
              {props.clock.offsetMs > 0 && ` (${Math.round(props.clock.offsetMs / 3_600_000)} h ahead)`}
            </span>
            <PollersPanel pollers={baton.pollerStates()} />
          </div>
        </header>
        {props.notice && (
          <p class="notice" role="alert">
            {props.notice}
          </p>
        )}
        <main>
          <AddLeadForm />
          <SheetPanel world={world} tab={props.tab} />
          <AddAirtableLeadForm />
          <AirtablePanel world={world} view={props.view ?? ALL_LEADS} dossier={props.dossier} />
          <NotionPanel world={world} view={props.view ?? ALL_LEADS} dossier={props.dossier} />
          <AddContactForm />
          <ContactsPanel world={world} view={props.contacts ?? ALL_CONTACTS} />
          <SlackPanel world={world} />
          <SequencePanel world={world} runs={props.sequenceRuns} />
          <BoardPanel world={world} />
          <MailPanel world={world} />
          <ContentPanel world={world} />
          <LinkedInPanel world={world} />
          <NewsletterPanel world={world} />
          {props.deckTemplate && <SlidesPanel world={world} templateId={props.deckTemplate} />}
          <RunsPanel runs={props.shown} live={liveStatuses(baton.engine.activeRuns())} />
        </main>
        <script nonce={props.nonce}>{raw(PAGE_SCRIPT)}</script>
      </body>
    </Document>
  );
}

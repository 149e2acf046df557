// The whole sandbox page: what is emulated and how to leave, the toolbar, then one panel per service.
import { raw } from 'hono/html';
import type { RunRecord } from '../../engine/run-record.ts';
import type { Baton } from '../../runtime/index.ts';
import { Document } from '../../web/document.tsx';
import type { RunIndex } from '../../web/run-index.ts';
import { liveStatuses } from '../../web/run-words.ts';
import type { EmulatedWorld } from '../world.ts';
import { BoardPanel } from './board-panel.tsx';
import { MailPanel } from './mail-panel.tsx';
import { PollersPanel, RunsPanel } from './runs-panel.tsx';
import { PAGE_SCRIPT } from './script.ts';
import { AddLeadForm, SheetPanel } from './sheet-panel.tsx';
import { PAGE_STYLE } from './style.ts';

const SHOWN_RUNS = 30;

export interface PageInput {
  world: EmulatedWorld;
  baton: Baton;
  /** Which runs exist (kept in memory: the page does not read every run file each time). */
  runs: RunIndex;
  /** The Leads tab's name. */
  tab: string;
  /** A message from the last action (e.g. why a move was refused), shown once. */
  notice?: string | undefined;
  /** The CSP nonce that lets the page's own script run (and nothing injected). */
  nonce: string;
  refreshMs: number;
}

/** The page as HTML text; every value from the world (LLM output, user input) is escaped by JSX. */
export async function renderPage(input: PageInput): Promise<string> {
  const newest = (await input.runs.list())
    .sort((a, b) => b.createdAt - a.createdAt || b.id.localeCompare(a.id))
    .slice(0, SHOWN_RUNS);
  const runs = await Promise.all(newest.map((row) => input.baton.store.getRun(row.id)));
  return String(<SandboxPage {...input} shown={runs.filter((run) => run !== undefined)} />);
}

function SandboxPage(props: PageInput & { shown: RunRecord[] }) {
  const { world, baton } = props;
  return (
    <Document title="Baton sandbox" nonce={props.nonce} style={PAGE_STYLE}>
      <body data-refresh-ms={props.refreshMs}>
        <header>
          <h1>
            <span class="sandbox-tag">SANDBOX</span>Baton
          </h1>
          <p>
            Google Sheets, Gmail and Trello are emulated inside this process, and the model is an offline
            sample model: its text starts with <b>[sample]</b>. Nothing real is touched. Baton itself is real:
            the same pollers, recipe and journal as in production.
          </p>
          <p>
            To use your own accounts: <code>cp .env.example .env</code>, fill it in, <code>npm start</code> (
            <code>npm run baton -- doctor</code> checks it).
          </p>
          <div class="toolbar">
            <form method="post" action="/poll">
              <button type="submit">Poll now</button>
            </form>
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
          <BoardPanel world={world} />
          <MailPanel world={world} />
          <RunsPanel runs={props.shown} live={liveStatuses(baton.engine.activeRuns())} />
        </main>
        <script nonce={props.nonce}>{raw(PAGE_SCRIPT)}</script>
      </body>
    </Document>
  );
}

// The whole sandbox page: what is emulated and how to leave, the toolbar, then one panel per service.
import type { Baton } from '../../runtime/index.ts';
import type { EmulatedWorld } from '../world.ts';
import { boardPanel } from './board-panel.ts';
import { Html, html } from './html.ts';
import { mailPanel } from './mail-panel.ts';
import { pollersPanel, runsPanel } from './runs-panel.ts';
import { PAGE_SCRIPT } from './script.ts';
import { addLeadForm, sheetPanel } from './sheet-panel.ts';
import { PAGE_STYLE } from './style.ts';

export interface PageInput {
  world: EmulatedWorld;
  baton: Baton;
  /** The Leads tab's name. */
  tab: string;
  /** A message from the last action (e.g. why a move was refused), shown once. */
  notice?: string | undefined;
  /** The CSP nonce that lets the page's own script run (and nothing injected). */
  nonce: string;
  refreshMs: number;
}

/** The page as HTML text; every value from the world (LLM output, user input) is escaped. */
export async function renderPage(input: PageInput): Promise<string> {
  const { world, baton } = input;
  const page = html`<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <title>Baton sandbox</title>
  <style nonce="${input.nonce}">${new Html(PAGE_STYLE)}</style>
</head>
<body data-refresh-ms="${input.refreshMs}">
  <header>
    <h1><span class="sandbox-tag">SANDBOX</span>Baton</h1>
    <p>Google Sheets, Gmail and Trello are emulated inside this process, and the model is an offline sample
      model: its text starts with <b>[sample]</b>. Nothing real is touched. Baton itself is real: the same
      pollers, recipe and journal as in production.</p>
    <p>To use your own accounts: <code>cp .env.example .env</code>, fill it in, <code>npm start</code>
      (<code>npm run baton -- doctor</code> checks it).</p>
    <div class="toolbar">
      <form method="post" action="/poll"><button type="submit">Poll now</button></form>
      ${pollersPanel(baton)}
    </div>
  </header>
  ${input.notice ? html`<p class="notice" role="alert">${input.notice}</p>` : ''}
  <main>
    ${addLeadForm()}
    ${sheetPanel(world, input.tab)}
    ${boardPanel(world)}
    ${mailPanel(world)}
    ${await runsPanel(baton)}
  </main>
  <script nonce="${input.nonce}">${new Html(PAGE_SCRIPT)}</script>
</body>
</html>`;
  return page.text;
}

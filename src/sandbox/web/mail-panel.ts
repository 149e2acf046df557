// The Gmail mailbox Baton writes to: drafts waiting for review, and mail that was sent.
import type { EmulatedDraft, EmulatedMessage } from '../gmail/person.ts';
import type { EmulatedWorld } from '../world.ts';
import { clockTime, type Html, html } from './html.ts';

export function mailPanel(world: EmulatedWorld): Html {
  const drafts = world.gmail.drafts();
  const sent = world.gmail.sent();
  return html`<section class="panel" id="gmail" data-panel>
    <h2>Gmail · ${world.env.PITCH_SENDER_NAME ?? ''}</h2>
    <h3>Sent <span class="count">${sent.length}</span></h3>
    <div id="gmail-sent">${sent.length === 0 ? html`<p class="empty">Nothing sent yet.</p>` : sent.map(message)}</div>
    <h3>Drafts <span class="count">${drafts.length}</span></h3>
    <div id="gmail-drafts">${drafts.length === 0 ? html`<p class="empty">No drafts.</p>` : drafts.map(message)}</div>
  </section>`;
}

function message(mail: EmulatedMessage | EmulatedDraft): Html {
  return html`<article class="mail" data-to="${mail.to}">
    <p class="meta"><b>To:</b> ${mail.to} <span class="time">${clockTime(mail.internalDate)}</span></p>
    <p class="subject">${mail.subject}</p>
    <div class="body">${mail.text}</div>
  </article>`;
}

// The Gmail mailbox Baton writes to: drafts waiting for review, and mail that was sent.
import { clockTime } from '../../web/run-words.ts';
import type { EmulatedDraft, EmulatedMessage } from '../gmail/person.ts';
import type { EmulatedWorld } from '../world.ts';

export function MailPanel({ world }: { world: EmulatedWorld }) {
  const drafts = world.gmail.drafts();
  const sent = world.gmail.sent();
  return (
    <section class="panel" id="gmail" data-panel>
      <h2>Gmail · {world.env.SENDER_NAME ?? ''}</h2>
      <h3>
        Sent <span class="count">{sent.length}</span>
      </h3>
      <div id="gmail-sent">
        {sent.length === 0 ? <p class="empty">Nothing sent yet.</p> : sent.map((m) => <Mail mail={m} />)}
      </div>
      <h3>
        Drafts <span class="count">{drafts.length}</span>
      </h3>
      <div id="gmail-drafts">
        {drafts.length === 0 ? <p class="empty">No drafts.</p> : drafts.map((m) => <Mail mail={m} />)}
      </div>
    </section>
  );
}

function Mail({ mail }: { mail: EmulatedMessage | EmulatedDraft }) {
  return (
    <article class="mail" data-to={mail.to}>
      <p class="meta">
        <b>To:</b> {mail.to} <span class="time">{clockTime(mail.internalDate)}</span>
      </p>
      <p class="subject">{mail.subject}</p>
      <div class="body">{mail.text}</div>
    </article>
  );
}

// The Gmail mailbox Baton writes to: drafts waiting for review, mail that was sent (each can be
// answered "as the lead"), and replies that arrived.
import { clockTime } from '../../web/run-words.ts';
import type { EmulatedDraft, EmulatedMessage } from '../gmail/person.ts';
import type { EmulatedWorld } from '../world.ts';

export function MailPanel({ world }: { world: EmulatedWorld }) {
  const drafts = world.gmail.drafts();
  const sent = world.gmail.sent();
  const inbox = world.gmail.inbox();
  return (
    <section class="panel" id="gmail" data-panel>
      <h2>Gmail · {world.env.SENDER_NAME ?? ''}</h2>
      <h3>
        Sent <span class="count">{sent.length}</span>
      </h3>
      <div id="gmail-sent">
        {sent.length === 0 ? (
          <p class="empty">Nothing sent yet.</p>
        ) : (
          sent.map((m) => (
            <Mail mail={m}>
              <ReplyForm mail={m} />
            </Mail>
          ))
        )}
      </div>
      <h3>
        Inbox <span class="count">{inbox.length}</span>
      </h3>
      <div id="gmail-inbox">
        {inbox.length === 0 ? <p class="empty">No replies yet.</p> : inbox.map((m) => <Mail mail={m} />)}
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

function Mail({ mail, children }: { mail: EmulatedMessage | EmulatedDraft; children?: unknown }) {
  return (
    <article class="mail" data-to={mail.to} data-from={mail.from} data-thread={mail.threadId}>
      <p class="meta">
        {mail.labelIds.includes('INBOX') ? (
          <>
            <b>From:</b> {mail.from}
          </>
        ) : (
          <>
            <b>To:</b> {mail.to}
          </>
        )}{' '}
        <span class="time">{clockTime(mail.internalDate)}</span>
      </p>
      <p class="subject">{mail.subject}</p>
      <div class="body">{mail.text}</div>
      {children}
    </article>
  );
}

/** The recipient answers in the same thread, as their mail program would. */
function ReplyForm({ mail }: { mail: EmulatedMessage }) {
  return (
    <details id={`reply-${mail.id}`}>
      <summary>Reply as the lead</summary>
      <form method="post" action={`/mail/${encodeURIComponent(mail.id)}/reply`}>
        <textarea
          name="text"
          rows={3}
          required
          maxlength={4000}
          aria-label={`Reply from ${mail.to}`}
          placeholder="Thanks! Tuesday at 10 works for me."
        ></textarea>
        <button type="submit">Send reply as {mail.to}</button>
      </form>
    </details>
  );
}

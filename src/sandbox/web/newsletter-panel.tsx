// The weekly newsletter as a person sees it: the issues archived in Notion once sent, and a control
// that moves the sandbox clock to the next NEWSLETTER_CRON occurrence so this week's issue is written.
import { DEFAULT_NEWSLETTER_CRON } from '../../../recipes/newsletter/config.ts';
import type { EmulatedWorld } from '../world.ts';
import { plain } from './notion-panel.tsx';

export function NewsletterPanel(props: { world: EmulatedWorld }) {
  const { world } = props;
  const issues = world.notion.pages(world.newsletterArchive.dataSourceId);
  return (
    <section class="panel" id="newsletter" data-panel>
      <h2>Notion · Newsletter issues</h2>
      <p class="hint">
        Each week Baton writes an issue for the <b>Newsletter</b> view of the Leads table and puts it on the
        board; once approved it is sent to everyone in the view and archived here. The button moves the clock
        to the next issue's time (<code>{world.env.NEWSLETTER_CRON?.trim() || DEFAULT_NEWSLETTER_CRON}</code>
        ).
      </p>
      <form method="post" action="/clock/newsletter">
        <button type="submit">Send this week's newsletter now</button>
      </form>
      {issues.length === 0 ? (
        <p class="empty">No issue sent yet.</p>
      ) : (
        <table class="sheet" data-grid="newsletter">
          <thead>
            <tr>
              <th>Issue</th>
              <th>Subject</th>
              <th>Sent to</th>
            </tr>
          </thead>
          <tbody>
            {issues.map((p) => (
              <tr data-issue={p.id}>
                <td>{p.title || 'Untitled'}</td>
                <td>{plain(p.properties.Subject)}</td>
                <td>{plain(p.properties.Sent)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

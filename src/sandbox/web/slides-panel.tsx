// Google Slides as a person sees it in Drive: the lead deck template and each lead's copy, its
// placeholders filled, one line per text box.
import type { EmulatedWorld } from '../world.ts';

const PRESENTATION = 'application/vnd.google-apps.presentation';

export function SlidesPanel({ world, templateId }: { world: EmulatedWorld; templateId: string }) {
  const template = world.drive.file(templateId);
  const decks = (template ? world.drive.files(template.parents[0] ?? '') : []).filter(
    (f) => f.mimeType === PRESENTATION && !f.trashed,
  );
  return (
    <section class="panel" id="slides" data-panel>
      <h2>Google Slides · lead decks</h2>
      <p class="hint">Each hot lead gets a copy of the template with its placeholders filled.</p>
      {decks.map((deck) => (
        <details id={`deck-${deck.id}`} class="deck" data-deck={deck.name}>
          <summary>
            {deck.name}
            {deck.id === templateId && <span class="muted"> (template)</span>}
          </summary>
          <ol class="slides">
            {(world.slides.text(deck.id) ?? []).map((boxes) => (
              <li>
                {boxes.map((text) => (
                  <p>{text.trimEnd()}</p>
                ))}
              </li>
            ))}
          </ol>
        </details>
      ))}
    </section>
  );
}

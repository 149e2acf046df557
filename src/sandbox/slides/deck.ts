// A presentation's content as the emulator keeps it, and the Presentation resource it renders.
import { randomBytes } from 'node:crypto';

/** A text box: its text is paragraphs, each ending in a newline, as Slides keeps a shape's text. */
export interface DeckShape {
  objectId: string;
  text: string;
}

export interface DeckSlide {
  objectId: string;
  shapes: DeckShape[];
}

export interface Deck {
  slides: DeckSlide[];
  revisionId: string;
}

export const newObjectId = (prefix: string): string => `${prefix}${randomBytes(6).toString('hex')}`;
export const newRevisionId = (): string => randomBytes(12).toString('base64url');

/** Slides ends every shape's text with a newline (the last paragraph's marker). */
export const withFinalNewline = (text: string): string => (text.endsWith('\n') ? text : `${text}\n`);

/** A deck from the text of each slide's text boxes. */
export function newDeck(slides: readonly (readonly string[])[]): Deck {
  return {
    slides: slides.map((boxes) => ({
      objectId: newObjectId('g'),
      shapes: boxes.map((text) => ({ objectId: newObjectId('i'), text: withFinalNewline(text) })),
    })),
    revisionId: newRevisionId(),
  };
}

/** A copy with the same object ids (as a Drive copy keeps them) and its own revision. */
export function copyDeck(deck: Deck): Deck {
  return { ...structuredClone(deck), revisionId: newRevisionId() };
}

const EMU = (magnitude: number) => ({ magnitude, unit: 'EMU' });

/** The Presentation resource (presentations.get): the fields the emulator models. */
export function renderDeck(id: string, title: string, deck: Deck): Record<string, unknown> {
  return {
    presentationId: id,
    pageSize: { width: EMU(9_144_000), height: EMU(5_143_500) },
    slides: deck.slides.map((slide) => ({
      objectId: slide.objectId,
      pageType: 'SLIDE',
      pageElements: slide.shapes.map((shape, i) => ({
        objectId: shape.objectId,
        size: { width: EMU(8_000_000), height: EMU(1_000_000) },
        transform: {
          scaleX: 1,
          scaleY: 1,
          translateX: 500_000,
          translateY: 500_000 + i * 1_100_000,
          unit: 'EMU',
        },
        shape: { shapeType: 'TEXT_BOX', text: { textElements: textElements(shape.text) } },
      })),
      slideProperties: { layoutObjectId: 'p1', masterObjectId: 'p' },
    })),
    title,
    masters: [],
    layouts: [],
    locale: 'en',
    revisionId: deck.revisionId,
  };
}

/**
 * A shape's text as Slides renders it: per paragraph a paragraphMarker then a textRun, with UTF-16
 * start and end indexes; a zero `startIndex` is left out, as proto3 JSON leaves out defaults.
 */
export function textElements(text: string): Record<string, unknown>[] {
  const out: Record<string, unknown>[] = [];
  let start = 0;
  for (const paragraph of text.split(/(?<=\n)/)) {
    const end = start + paragraph.length;
    const span = { ...(start > 0 ? { startIndex: start } : {}), endIndex: end };
    out.push({ ...span, paragraphMarker: { style: {} } });
    out.push({ ...span, textRun: { content: paragraph, style: {} } });
    start = end;
  }
  return out;
}

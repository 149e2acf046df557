// The idempotency footer: written once, found again, and invisible in what Baton reads back.
import { describe, expect, it } from 'vitest';
import { hasMarker, markedText, markerOf, stripMarker } from '../../../connectors/trello/index.ts';

describe('Baton footer', () => {
  it('appends a readable footer line carrying the key, and strips it back off', () => {
    const text = markedText('Dear ACME,\n\nHello.', 'pitch/run-1/card');
    expect(text).toBe('Dear ACME,\n\nHello.\n\n---\nBaton · baton:pitch/run-1/card');
    expect(markerOf(text)).toBe('pitch/run-1/card');
    expect(stripMarker(text)).toBe('Dear ACME,\n\nHello.');
  });

  it('replaces an earlier footer instead of stacking a second one', () => {
    expect(markedText(markedText('v1', 'a'), 'b')).toBe('v1\n\n---\nBaton · baton:b');
  });

  it('finds the key only as a whole token, even on a line a human reworded', () => {
    expect(hasMarker('Body\n(baton:run-1 — please keep)', 'run-1')).toBe(true);
    expect(hasMarker('Body\n\\---\nBaton · baton:pitch/run\\_1', 'pitch/run_1')).toBe(true);
    expect(hasMarker(markedText('Body', 'run-10'), 'run-1')).toBe(false);
    expect(markerOf('Body mentions baton:run-1 in passing')).toBeUndefined();
  });

  it('leaves text without a footer alone, and keeps what a human wrote below it', () => {
    expect(stripMarker('No footer here\n---\nfine')).toBe('No footer here\n---\nfine');
    expect(stripMarker('Top\n\n---\nBaton · baton:k\nP.S. added later')).toBe('Top\n\nP.S. added later');
    expect(stripMarker('Edited\n\n\\---\nBaton · baton:run\\_1')).toBe('Edited');
    expect(markerOf('Edited\n\n\\---\nBaton · baton:run\\_1')).toBe('run_1');
  });
});

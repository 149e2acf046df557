// The HTML document around a page: doctype, head with its stylesheet under the CSP nonce, then the body.
import { raw } from 'hono/html';
import type { Child } from 'hono/jsx';

export interface DocumentProps {
  title: string;
  nonce: string;
  /** Trusted CSS from the source tree (never user text). */
  style: string;
  /** The <body> element. */
  children?: Child;
}

export function Document(props: DocumentProps) {
  return (
    <>
      {raw('<!doctype html>')}
      <html lang="en">
        <head>
          <meta charset="utf-8" />
          <meta name="viewport" content="width=device-width, initial-scale=1" />
          <title>{props.title}</title>
          <style nonce={props.nonce}>{raw(props.style)}</style>
        </head>
        {props.children}
      </html>
    </>
  );
}

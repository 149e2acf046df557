// The frame of every dashboard page: the title bar with sign-out, then the page's panels.
import type { Child } from 'hono/jsx';
import { Document } from '../document.tsx';
import { DASHBOARD_STYLE } from './style.ts';

export function Layout(props: { title: string; nonce: string; signedIn: boolean; children?: Child }) {
  return (
    <Document title={`${props.title} · Baton`} nonce={props.nonce} style={DASHBOARD_STYLE}>
      <body>
        <header>
          <h1>
            <a href="/">Baton</a>
          </h1>
          <span>{props.title}</span>
          {props.signedIn && (
            <form method="post" action="/logout">
              <button type="submit">Sign out</button>
            </form>
          )}
        </header>
        <main>{props.children}</main>
      </body>
    </Document>
  );
}

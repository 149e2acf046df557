// The sandbox page: a person's view of the emulated world and of Baton's runs, served on 127.0.0.1.
export { escapeHtml, Html, html } from './html.ts';
export { renderPage } from './page.ts';
export { ActionRefused, applyAction } from './routes.ts';
export { type SandboxPageOptions, sandboxPage } from './server.ts';

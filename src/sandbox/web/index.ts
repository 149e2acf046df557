// The sandbox page: a person's view of the emulated world and of Baton's runs, served on 127.0.0.1.
export { type SandboxPageOptions, sandboxApp } from './app.ts';
export { renderPage } from './page.tsx';
export { ActionRefused, applyAction } from './routes.ts';

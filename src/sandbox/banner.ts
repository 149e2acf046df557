// The block `baton sandbox` (and `npm start` with no credentials) prints first: what runs, what is not real.

export function sandboxBanner(url: string, dataDir: string): string {
  const rule = '─'.repeat(76);
  return [
    rule,
    '  BATON SANDBOX: no accounts needed, nothing real is touched',
    '',
    '  • Google Sheets, Gmail, Drive, Trello, Airtable, Notion, Slides, LinkedIn and a few',
    '    company websites are emulated inside this process, with demo leads.',
    '  • The model is an offline sample model: everything it writes starts with [sample].',
    '  • No request leaves this machine: every service call is answered by the emulators.',
    '  • Baton itself is real: its recipes (pitch, leads, pathway, sequence, content,',
    '    newsletter), their pollers and journal',
    `    (runs kept in ${dataDir}, emptied at each sandbox start).`,
    '',
    `  Open ${url}`,
    '    add a lead, watch its review card appear, move it to Approved, see the mail go out;',
    '    "Advance the clock 48 h" shows the leads follow-up.',
    '',
    '  To use your real accounts:',
    '    cp .env.example .env     then fill it in',
    '    npm start                (`npm run baton -- doctor` checks the configuration)',
    rule,
  ].join('\n');
}

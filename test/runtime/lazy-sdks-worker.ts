// Imports the CLI as `baton start` does and prints which CommonJS packages got loaded, before and
// after one call into the website connector (which loads html-to-text on first use).
import { createRequire } from 'node:module';

const loaded = () => {
  const packages = new Set<string>();
  for (const file of Object.keys(createRequire(import.meta.url).cache)) {
    const parts = file.split('node_modules/').pop()?.split('/') ?? [];
    packages.add(parts[0]?.startsWith('@') ? `${parts[0]}/${parts[1]}` : (parts[0] ?? ''));
  }
  return [...packages];
};

await import('../../src/cli/main.ts');
await import('../../recipes/index.ts');
const atStart = loaded();
const { pageTitle } = await import('../../connectors/website/page-text.ts');
const title = pageTitle('<title>Bakery &amp; Co</title>');
process.stdout.write(JSON.stringify({ atStart, afterUse: loaded(), title }));

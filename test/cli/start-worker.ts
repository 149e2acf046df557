// `baton start` for real in a child process, reaching the emulated services through the bridge.
// Usage: start-worker.ts <emulatorServerUrl>   (configuration in the environment, as from .env)
import { main } from '../../src/cli/main.ts';
import { bridgeToEmulators } from '../../src/sandbox/bridge.ts';

bridgeToEmulators(process.argv[2]!);
await main(['node', 'baton', 'start']);

// The Slack incoming-webhooks emulator: what tests and the sandbox serve in place of hooks.slack.com.
export { SLACK_HOOKS, SlackEmulator, type SlackEmulatorOptions, type SlackMessage } from './emulator.ts';
export { displayed, type Mentions, mentionsIn } from './mentions.ts';
export { MAX_BLOCKS, type PostedMessage } from './payload.ts';

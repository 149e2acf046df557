// Bytes per review card: what Baton's Trello traffic costs for each card it creates, on a board that
// already holds 10 cards and on one that holds 300 (spread over the review lists, as months of use
// leave them). The goal is the same cost on both: nothing Baton does per card should list the board.
// Simulated time (the counts do not depend on it), Trello response bytes from the emulator's log.
import { type Figures, runScenario } from '../lib/cli.ts';
import { installSimTime, type SimTime } from '../lib/sim-time.ts';
import { clearRequestLogs, lead, startSystem, statusByEmail } from '../lib/system.ts';

const BOARDS = [10, 300];
const NEW_CARDS = 5;
const NEW_CARDS_QUICK = 2;
const SEED_AGE_MS = 86_400_000;

interface BoardCost {
  cardsBefore: number;
  cardsCreated: number;
  trelloRequests: number;
  trelloBytes: number;
  bytesPerCard: number;
  requestsPerCard: number;
  /** The biggest answers, by route: what grows with the board. */
  largest: { path: string; bytes: number }[];
}

async function onBoard(
  sim: SimTime,
  cardsBefore: number,
  newCards: number,
  modelLatencyMs: number,
): Promise<BoardCost> {
  const system = await startSystem({ modelLatencyMs });
  const { world, baton } = system;
  const lists = Object.keys(world.lists);
  for (let i = 0; i < cardsBefore; i++) {
    world.trello.addCard({
      boardId: world.boardId,
      listName: lists[i % lists.length] ?? 'Review',
      name: `Pitch: Earlier lead ${i} (Earlier ${i} Ltd)`,
      desc: 'Subject: A small idea\n\nHello, we build small automations. '.repeat(4),
    });
  }
  // A board's cards were made over weeks of use, not the moment Baton starts: make them a day old.
  await sim.settle(sim.sleep(SEED_AGE_MS));
  baton.start();
  await sim.runUntil(() => baton.pollerStates().every((s) => s.polls > 0));
  const before = world.trello.cards().length;
  clearRequestLogs(world);
  const emails: string[] = [];
  for (let i = 1; i <= newCards; i++) {
    const row = lead(i);
    world.addLead(row);
    emails.push(row.Email ?? '');
  }
  baton.pollSoon();
  await sim.runUntil(
    () => {
      const statuses = statusByEmail(world);
      return emails.every((e) => statuses.get(e) === 'In review');
    },
    { maxSimMs: 3_600_000 },
  );
  const created = world.trello.cards().length - before;
  const log = world.trello.requests.all();
  await sim.settle(baton.stop());
  system.dispose();
  const bytes = log.reduce((sum, r) => sum + r.bytes, 0);
  return {
    cardsBefore,
    cardsCreated: created,
    trelloRequests: log.length,
    trelloBytes: bytes,
    bytesPerCard: created > 0 ? Math.round(bytes / created) : 0,
    requestsPerCard: created > 0 ? Math.round((log.length / created) * 10) / 10 : 0,
    largest: [...log]
      .sort((a, b) => b.bytes - a.bytes)
      .slice(0, 3)
      .map((r) => ({ path: r.path.split('?')[0] ?? r.path, bytes: r.bytes })),
  };
}

runScenario(async ({ quick, modelLatencyMs }): Promise<Figures> => {
  const newCards = quick ? NEW_CARDS_QUICK : NEW_CARDS;
  const sim = installSimTime();
  const boards: BoardCost[] = [];
  for (const size of BOARDS) boards.push(await onBoard(sim, size, newCards, modelLatencyMs));
  sim.uninstall();
  const [small, large] = [boards[0]!, boards[boards.length - 1]!];
  return {
    cards: {
      newCards,
      boards,
      bytesPerCardSmall: small.bytesPerCard,
      bytesPerCardLarge: large.bytesPerCard,
      ratio: small.bytesPerCard > 0 ? Math.round((large.bytesPerCard / small.bytesPerCard) * 100) / 100 : 0,
      timeBase:
        'simulated (byte counts do not depend on it); Trello response bytes, every request of the backlog',
    },
  };
});

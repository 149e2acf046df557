// `baton doctor`: is another live Baton (another data folder or host) working on the same sheet or board?
import {
  describeHeartbeat,
  type InstanceHome,
  otherInstances,
  readInstanceId,
} from '../../instances/index.ts';

/**
 * Lists the live instances other than this data folder's on `homes` (one read each). Throws the
 * problem — who the other instance is and what to do — when there is one.
 */
export async function checkInstances(env: NodeJS.ProcessEnv, homes: InstanceHome[]): Promise<string> {
  if ((env.BATON_REDIS_URL ?? '').trim() !== '') {
    return 'BATON_REDIS_URL is set: instances sharing that Redis are one Baton and coordinate there';
  }
  const self = await readInstanceId(env.BATON_DATA_DIR ?? './data');
  const now = Date.now();
  const others = await otherInstances(homes, self, now);
  const first = others[0];
  if (first) {
    throw new Error(
      `another Baton is working on ${first.home.label}: ${describeHeartbeat(first.beat, now)} — \`baton start\` here would refuse to start; stop that one first (run one Baton per sheet and board)`,
    );
  }
  return `none on ${homes.map((h) => h.label).join(', ')}`;
}

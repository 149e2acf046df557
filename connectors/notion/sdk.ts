// @notionhq/client, loaded at the first Notion call rather than when Baton starts: a Baton whose
// recipes use no Notion never pays its memory.
import { lazyModule } from '../core/index.ts';

export const notionSdk = lazyModule<typeof import('@notionhq/client')>('@notionhq/client');

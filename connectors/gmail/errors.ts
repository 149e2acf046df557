// The Gmail connector's own refusals: a draft that is gone, a draft addressed to someone else.
import { NotFoundError, ServiceError } from '../core/index.ts';

export function draftGone(draftId: string): NotFoundError {
  return new NotFoundError('gmail', `gmail draft ${draftId} no longer exists`, {
    status: 404,
    hint: 'it was sent or deleted by hand in Gmail; Baton does not recreate it on its own',
  });
}

/**
 * The draft's recipients no longer are exactly the one address it must go to (someone edited To,
 * Cc or Bcc in Gmail). Nothing was sent; never retryable: a human has to look at the draft.
 */
export class WrongRecipientError extends ServiceError {
  override readonly name = 'WrongRecipientError';
  /** Every address the draft is addressed to now (To, Cc, Bcc). */
  readonly addressedTo: string[];
  /** The one address it must go to. */
  readonly expected: string;

  constructor(draftId: string, addressedTo: string[], expected: string) {
    const now = addressedTo.length ? addressedTo.join(', ') : 'nobody';
    super(
      'gmail',
      `gmail draft ${draftId} was not sent: it is addressed to ${now}, but it must go to ${expected} only`,
      {
        retryable: false,
        hint: `in Gmail, set the draft's To to ${expected} and remove any Cc/Bcc, or delete the draft`,
      },
    );
    this.addressedTo = addressedTo;
    this.expected = expected;
  }
}

// Cost estimates from the price table keyed provider:model: known models, snapshots, unknown models, overrides.
import { describe, expect, it } from 'vitest';
import { DEFAULT_PRICES, estimateCostUsd, priceOf } from '../../src/llm/index.ts';

describe('estimateCostUsd', () => {
  it('prices input and output tokens per million', () => {
    const price = DEFAULT_PRICES['openai:gpt-4o-mini']!;
    expect(estimateCostUsd('gpt-4o-mini', 1_000_000, 1_000_000)).toBeCloseTo(
      price.inputPerMillion + price.outputPerMillion,
      8,
    );
    expect(estimateCostUsd('gpt-4o-mini', 2_000, 500)).toBeCloseTo(
      (2_000 * price.inputPerMillion + 500 * price.outputPerMillion) / 1_000_000,
      8,
    );
  });

  it('uses the base model price for a dated snapshot', () => {
    expect(priceOf('gpt-4o-2024-08-06', DEFAULT_PRICES)).toEqual(DEFAULT_PRICES['openai:gpt-4o']);
    expect(priceOf('anthropic:claude-haiku-4-5-20251001', DEFAULT_PRICES)).toEqual(
      DEFAULT_PRICES['anthropic:claude-haiku-4-5'],
    );
  });

  it('keys prices by provider, so one table covers OpenAI and Claude', () => {
    expect(estimateCostUsd('anthropic:claude-sonnet-4-6', 1_000_000, 1_000_000)).toBe(3 + 15);
    expect(estimateCostUsd('openai:gpt-4o-mini', 1_000_000, 0)).toBe(
      DEFAULT_PRICES['openai:gpt-4o-mini']!.inputPerMillion,
    );
    // An OpenAI-compatible server does not inherit Claude's price for a same-named model.
    expect(estimateCostUsd('openai:claude-sonnet-4-6', 1000, 1000)).toBeUndefined();
  });

  it('returns undefined for a model without a price', () => {
    expect(estimateCostUsd('llama3.1', 1000, 1000)).toBeUndefined();
  });

  it('takes an overriding table', () => {
    expect(
      estimateCostUsd('llama3.1', 500_000, 0, { 'llama3.1': { inputPerMillion: 2, outputPerMillion: 0 } }),
    ).toBe(1);
  });
});

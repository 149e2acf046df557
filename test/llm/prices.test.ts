// Cost estimates from the price table: known models, dated snapshots, unknown models, overrides.
import { describe, expect, it } from 'vitest';
import { DEFAULT_PRICES, estimateCostUsd, priceOf } from '../../src/llm/index.ts';

describe('estimateCostUsd', () => {
  it('prices input and output tokens per million', () => {
    const price = DEFAULT_PRICES['gpt-4o-mini']!;
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
    expect(priceOf('gpt-4o-2024-08-06', DEFAULT_PRICES)).toEqual(DEFAULT_PRICES['gpt-4o']);
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

import { z } from "zod";

/** LLM tokens spent producing something; summed per production. Template mode spends none. */
export const TokenUsage = z.object({
  calls: z.number().int().min(0).default(0),
  input_tokens: z.number().int().min(0).default(0),
  output_tokens: z.number().int().min(0).default(0),
  total_tokens: z.number().int().min(0).default(0),
});
export type TokenUsage = z.infer<typeof TokenUsage>;

export const noUsage = (): TokenUsage => ({ calls: 0, input_tokens: 0, output_tokens: 0, total_tokens: 0 });

export function addUsage(a: TokenUsage, b: TokenUsage): TokenUsage {
  return {
    calls: a.calls + b.calls,
    input_tokens: a.input_tokens + b.input_tokens,
    output_tokens: a.output_tokens + b.output_tokens,
    total_tokens: a.total_tokens + b.total_tokens,
  };
}

/** Who wrote an artefact: the deterministic template generator or a model. */
export const Generator = z.enum(["template", "llm"]);
export type Generator = z.infer<typeof Generator>;

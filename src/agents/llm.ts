import type { z } from "zod";
import type { TokenUsage } from "../domain/usage.js";

/**
 * The one way agents talk to a model. `generate` asks for an object matching `schema` and returns it
 * parsed, with the tokens it cost. Implementations re-ask once when the reply does not parse and then
 * throw a ValidationError; timeouts and 5xx become UpstreamError. Built by `createLlm` from config;
 * `null` means no key is configured and agents use their template generators.
 */
export interface StructuredLlm {
  readonly model: string;
  generate<S extends z.ZodType>(request: LlmRequest<S>): Promise<LlmResult<z.output<S>>>;
}

export interface LlmRequest<S extends z.ZodType> {
  /** Short name of the output, used as the structured-output/function name (e.g. "script_draft"). */
  name: string;
  system: string;
  user: string;
  schema: S;
  /** Stops the call (and any retry) when its caller gives up, e.g. the stage timed out. */
  signal?: AbortSignal;
}

export interface LlmResult<T> {
  data: T;
  usage: TokenUsage;
}

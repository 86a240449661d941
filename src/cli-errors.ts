import { ConfigError } from "./config.js";
import { GreenlightError, ValidationError } from "./domain/errors.js";

/** One readable message for the terminal: field problems one per line, never a stack trace. */
export function describeCliError(err: unknown): string {
  if (err instanceof ValidationError)
    return [
      `Invalid ${err.what}:`,
      ...err.problems.map((p) => `  - ${p.field ? `${p.field}: ` : ""}${p.message}`),
    ].join("\n");
  if (err instanceof ConfigError) return err.message;
  if (err instanceof GreenlightError) return err.message;
  if (err instanceof Error && "code" in err && err.code === "ENOENT")
    return `File not found: ${(err as NodeJS.ErrnoException).path ?? err.message}`;
  return err instanceof Error ? `Unexpected error: ${err.message}` : `Unexpected error: ${String(err)}`;
}

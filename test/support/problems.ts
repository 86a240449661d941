import { expect } from "vitest";
import { ValidationError } from "../../src/domain/errors.js";

/** The field problems `fn` throws as a ValidationError (fails the test when it throws anything else). */
export function validationProblems(fn: () => unknown) {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(ValidationError);
    return (err as ValidationError).problems;
  }
  throw new Error("expected a ValidationError");
}

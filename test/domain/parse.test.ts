import { describe, expect, it } from "vitest";
import { z } from "zod";
import { ValidationError } from "../../src/domain/errors.js";
import { parseOrThrow } from "../../src/domain/parse.js";

describe("parseOrThrow", () => {
  it("says which pattern a value must match, and what it got, in plain words", () => {
    const Beat = z.object({ id: z.string().regex(/^B\d{2,3}$/) });
    try {
      parseOrThrow(Beat, { id: "beat one" }, "beat");
      throw new Error("expected a ValidationError");
    } catch (err) {
      expect(err).toBeInstanceOf(ValidationError);
      expect((err as ValidationError).problems).toEqual([
        { field: "id", message: 'must match the pattern /^B\\d{2,3}$/, got "beat one"' },
      ]);
    }
  });
});

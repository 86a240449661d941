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

  it("asks for a whole number in words, and names only bounds a person set", () => {
    const Request = z.object({ version: z.number().int().min(1), seconds: z.number().int().min(5).max(600) });
    const problems = (data: unknown) => {
      try {
        parseOrThrow(Request, data, "request");
      } catch (err) {
        return (err as ValidationError).problems;
      }
      return [];
    };
    expect(problems({ version: 2.5, seconds: 30 })).toEqual([
      { field: "version", message: "must be a whole number, got 2.5" },
    ]);
    expect(problems({ version: 0, seconds: 0 })).toEqual([
      { field: "version", message: "must be at least 1, got 0" },
      { field: "seconds", message: "must be between 5 and 600, got 0" },
    ]);
  });
});

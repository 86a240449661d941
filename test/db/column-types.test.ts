import { describe, expect, it } from "vitest";
import { timestampToIso } from "../../src/db/column-types.js";

describe("timestampToIso", () => {
  it("turns Postgres timestamptz text into a UTC ISO string with milliseconds", () => {
    expect(timestampToIso("2025-01-02 03:04:05.678901+00")).toBe("2025-01-02T03:04:05.678Z");
    expect(timestampToIso("2025-01-02 03:04:05+05:30")).toBe("2025-01-01T21:34:05.000Z");
    expect(timestampToIso("2025-01-02 03:04:05.1-03")).toBe("2025-01-02T06:04:05.100Z");
  });

  it("reads a timestamp without zone as UTC", () => {
    expect(timestampToIso("2025-01-02 03:04:05")).toBe("2025-01-02T03:04:05.000Z");
  });

  it("keeps values it cannot represent as Postgres wrote them", () => {
    expect(timestampToIso("infinity")).toBe("infinity");
    expect(timestampToIso("0044-03-15 12:00:00+00 BC")).toBe("0044-03-15 12:00:00+00 BC");
  });
});

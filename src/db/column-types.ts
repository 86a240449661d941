/**
 * How column values come back from either backend, so code above the Db interface never sees a
 * difference between PGlite and PostgreSQL. Both backends install these parsers (by type OID, on
 * Postgres's text format):
 *
 * - TIMESTAMPTZ / TIMESTAMP → ISO 8601 UTC string with milliseconds (`2025-01-02T03:04:05.678Z`),
 *   the same shape as `new Date().toISOString()`. Microseconds are dropped. TIMESTAMP (no zone) is
 *   read as UTC. `infinity` and BC dates come back as Postgres's own text.
 * - DATE → `YYYY-MM-DD` string (never a Date at local midnight).
 * - INT8 (`count(*)`, BIGINT) → number.
 * NUMERIC stays a string (both drivers' default); JSON/JSONB are parsed; TEXT[] is a string array.
 */
export const OID = {
  INT8: 20,
  DATE: 1082,
  TIMESTAMP: 1114,
  TIMESTAMPTZ: 1184,
} as const;

// Postgres's ISO output: `2025-01-02 03:04:05.678901+00` (zone part only for TIMESTAMPTZ).
const PG_TIMESTAMP = /^(\d{4}-\d\d-\d\d) (\d\d:\d\d:\d\d(?:\.\d+)?)(?:([+-]\d\d)(?::(\d\d))?)?$/;

export function timestampToIso(text: string): string {
  const match = PG_TIMESTAMP.exec(text);
  if (!match) return text;
  const [, date, time, offsetHours, offsetMinutes] = match;
  const zone = offsetHours ? `${offsetHours}:${offsetMinutes ?? "00"}` : "Z";
  const parsed = new Date(`${date}T${time}${zone}`);
  return Number.isNaN(parsed.getTime()) ? text : parsed.toISOString();
}

export const dateToText = (text: string): string => text;

export const int8ToNumber = (text: string): number => Number(text);

/** Parsers keyed by type OID, shared by both backends. */
export const COLUMN_PARSERS: Readonly<Record<number, (text: string) => unknown>> = {
  [OID.INT8]: int8ToNumber,
  [OID.DATE]: dateToText,
  [OID.TIMESTAMP]: timestampToIso,
  [OID.TIMESTAMPTZ]: timestampToIso,
};

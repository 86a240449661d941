/** True for a time zone name Intl knows ("UTC", "Europe/Berlin"); the runtime's own list is the authority. */
export function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat("en", { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

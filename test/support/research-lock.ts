import type { Db } from "../../src/db/db.js";
import { withResearchLock } from "../../src/research/run.js";

/**
 * Takes the research lock and resolves once it is really held (on PostgreSQL it is taken on a
 * pooled connection, so merely starting `withResearchLock` does not mean it is held yet).
 */
export async function holdResearchLock(db: Db) {
  let release = () => {};
  let entered = () => {};
  const holding = new Promise<void>((resolve) => (entered = resolve));
  const held = withResearchLock(db, () => {
    entered();
    return new Promise<void>((resolve) => (release = resolve));
  });
  await Promise.race([holding, held]);
  return { held, release: () => release() };
}

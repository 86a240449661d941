import { z } from "zod";
import { ProductionPlan } from "./plan.js";
import { Production } from "./production.js";
import { Script } from "./script.js";
import { ShotList } from "./shots.js";
import { Tool } from "./tool.js";
import { Vrd } from "./vrd.js";

/** The domain contracts as JSON Schema, for the API's OpenAPI document and the docs. */
export const DOMAIN_SCHEMAS = { Vrd, Script, ShotList, ProductionPlan, Tool, Production } as const;

export function domainJsonSchemas(): Record<keyof typeof DOMAIN_SCHEMAS, unknown> {
  const out = {} as Record<keyof typeof DOMAIN_SCHEMAS, unknown>;
  for (const [name, schema] of Object.entries(DOMAIN_SCHEMAS)) {
    // Input shape: what a caller may send (defaults optional, string lists accepted).
    out[name as keyof typeof DOMAIN_SCHEMAS] = z.toJSONSchema(schema, {
      io: "input",
      unrepresentable: "any",
    });
  }
  return out;
}

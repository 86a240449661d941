/**
 * What could be understood of a pasted brief that did not validate, as the modal's flat fields, so
 * "Open the form" starts from it instead of from nothing.
 */
import { parse as parseYaml } from "yaml";
import { type VrdForm, withoutCodeFence } from "../../domain/vrd.js";

const asText = (v: unknown, separator: string): string | undefined => {
  if (typeof v === "string") return v;
  if (typeof v === "number" || typeof v === "boolean") return String(v);
  if (Array.isArray(v)) {
    const items = v.filter((x) => typeof x === "string" || typeof x === "number").map(String);
    return items.length > 0 ? items.join(separator) : undefined;
  }
  return undefined;
};

export function draftFromText(text: string): VrdForm {
  const source = withoutCodeFence(text);
  let data: unknown;
  try {
    data = source.startsWith("{") ? JSON.parse(source) : parseYaml(source);
  } catch {
    return {};
  }
  if (data === null || typeof data !== "object" || Array.isArray(data)) return {};
  const wrapped = (data as { vrd?: unknown }).vrd;
  const o = (wrapped && typeof wrapped === "object" ? wrapped : data) as Record<string, unknown>;
  const c = (o.constraints && typeof o.constraints === "object" ? o.constraints : {}) as Record<
    string,
    unknown
  >;
  const form: VrdForm = {
    title: asText(o.title, " "),
    objective: asText(o.objective, " "),
    audience: asText(o.audience, ", "),
    duration_seconds: asText(o.duration_seconds, ""),
    platform: asText(o.platform, ""),
    tone: asText(o.tone, ", "),
    key_messages: asText(o.key_messages, "\n"),
    call_to_action: asText(o.call_to_action, " "),
    max_cost_usd: asText(c.max_cost_usd ?? o.max_cost_usd, ""),
    quality_priority: asText(c.quality_priority ?? o.quality_priority, ""),
    deadline: asText(c.deadline ?? o.deadline, ""),
  };
  return Object.fromEntries(Object.entries(form).filter(([, v]) => v !== undefined && v !== "")) as VrdForm;
}

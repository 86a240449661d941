import { z } from "zod";

export const AnswerOption = z.object({ label: z.string().min(1).max(75), value: z.string().min(1).max(150) });
export type AnswerOption = z.infer<typeof AnswerOption>;

/** Reply that means "you decide": the question's default is applied. */
export const USE_DEFAULT = "default";

export const ClarifyingQuestion = z.object({
  /** Stable id, e.g. `audience`, `aspect_ratio`; answers are keyed by it. */
  id: z.string().min(1).max(40),
  /** The VRD field (dotted path) the answer fills. */
  field: z.string().min(1),
  question: z.string().min(1).max(300),
  why: z.string().min(1).max(300),
  /** Choices when a choice fits; empty means free text. */
  options: z.array(AnswerOption).max(5).default([]),
  /** The value applied for "use your default" (and by Skip). */
  default: z.string().min(1).max(300),
});
export type ClarifyingQuestion = z.infer<typeof ClarifyingQuestion>;

/** Answers keyed by question id; `"default"` (USE_DEFAULT) applies the question's default. */
export const Answers = z.record(z.string().min(1).max(40), z.string().trim().min(1).max(2000));
export type Answers = z.infer<typeof Answers>;

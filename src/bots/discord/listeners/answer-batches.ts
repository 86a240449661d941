/**
 * Answer all in Discord: a modal holds five inputs, so more open questions are asked five at a time.
 * Each batch's modal says where the next one starts; after a submission that leaves questions open,
 * the person gets a private button for the next batch (the questions message keeps Answer all too).
 */
import type { Production } from "../../../domain/production.js";
import { encodeAction } from "../../core/actions.js";
import { plural } from "../../core/format.js";
import { answersForm, type FormSpec } from "../../core/forms.js";
import { button, paragraph, type View, words } from "../../core/view.js";
import { DISCORD_LIMITS as L } from "../limits.js";

type Asked = Pick<Production, "id" | "version" | "questions" | "answers">;

/** Answer-action values are at most two digits (core/actions.ts). */
const MAX_START = 99;

/**
 * The Answer-all modal for the open questions from question index `start` on (from the first open one
 * when none is left after it), at most five, numbered as in the thread. Its id carries the index the
 * next batch starts at.
 */
export function answersBatch(production: Asked, start = 0): FormSpec {
  const all = answersForm(production);
  const position = new Map(production.questions.map((q, i) => [q.id, i] as const));
  const at = (id: string) => position.get(id) ?? 0;
  const after = all.fields.filter((f) => at(f.id) >= start);
  const fields = (after.length > 0 ? after : all.fields).slice(0, L.modalInputs);
  if (fields.length === all.fields.length && production.questions.length <= L.modalInputs) return all;
  const first = at(fields[0]?.id ?? "") + 1;
  const last = at(fields[fields.length - 1]?.id ?? "") + 1;
  return {
    ...all,
    id: encodeAction({
      kind: "answer_all",
      productionId: production.id,
      version: production.version,
      value: String(Math.min(last, MAX_START)),
    }),
    title: `Questions ${first === last ? first : `${first}–${last}`} of ${production.questions.length}`,
    fields: fields.map((f) => ({ ...f, label: `${at(f.id) + 1}. ${f.label}` })),
  };
}

/** After a batch: how many questions are still open, with a button opening the next batch. */
export function nextBatchView(production: Asked, next: number): View | null {
  const open = production.questions.filter((q) => production.answers[q.id] === undefined);
  if (open.length === 0) return null;
  const text = `${plural(open.length, "question")} still open.`;
  const id = encodeAction({
    kind: "answer_all",
    productionId: production.id,
    version: production.version,
    value: String(Math.min(next, MAX_START)),
  });
  const batch = Math.min(open.length, L.modalInputs);
  return {
    summary: text,
    elements: [
      paragraph([words(`${text} Answer them here, or use the buttons in the thread.`)]),
      { type: "actions", items: [button(`Answer the next ${batch}`, id, "primary")] },
    ],
  };
}

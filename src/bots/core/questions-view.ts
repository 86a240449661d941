/** Clarifying questions: one block per question with its options as buttons, then Answer all / Skip. */
import { USE_DEFAULT } from "../../domain/clarify.js";
import type { Production } from "../../domain/production.js";
import { encodeAction, optionValue } from "./actions.js";
import { plural } from "./format.js";
import {
  button,
  divider,
  type Element,
  header,
  italic,
  paragraph,
  smallPrint,
  typed,
  type View,
  words,
} from "./view.js";

/** Label of the button that leaves a question to the question's default. */
export const DEFAULT_LABEL = "You decide";

/** The short name of question `index` (0-based) on its choices: "Q2" for the second, as numbered in the text. */
export const questionTag = (index: number): string => `Q${index + 1}`;

export interface QuestionsViewOptions {
  /**
   * The bot reads replies typed in the thread (Slack message events). Discord has no Message Content
   * intent, so it cannot: its hints must not promise it.
   */
  threadReplies: boolean;
}

export function questionsView(
  production: Pick<Production, "id" | "version" | "questions" | "answers">,
  options: QuestionsViewOptions,
): View {
  const { questions, answers } = production;
  const open = questions.filter((q) => answers[q.id] === undefined);
  const ways = options.threadReplies
    ? "click an option, type a reply in this thread, or use Answer all"
    : "click an option or use Answer all";
  const elements: Element[] = [
    header("A few questions before the script"),
    smallPrint([words(`${plural(questions.length, "question")} · ${ways}. Skip uses the defaults.`)]),
  ];
  questions.forEach((q, i) => {
    elements.push(divider());
    elements.push(
      paragraph([words(`${i + 1}. `), typed(q.question, "bold"), words("\n"), typed(q.why, "italic")], q.id),
    );
    const given = answers[q.id];
    if (given !== undefined) {
      const shown =
        given === USE_DEFAULT
          ? `default (${q.default})`
          : (q.options.find((o) => o.value === given)?.label ?? given);
      elements.push(smallPrint([words("✓ Answered: "), typed(shown)]));
      return;
    }
    const answer = (value: string) =>
      encodeAction({
        kind: "answer",
        productionId: production.id,
        version: production.version,
        questionId: q.id,
        value,
      });
    if (q.options.length === 0) {
      elements.push(
        smallPrint([
          italic(
            options.threadReplies
              ? "Free answer: reply in the thread or use Answer all. Default: "
              : "Free answer: use Answer all. Default: ",
          ),
          typed(q.default),
        ]),
      );
    }
    elements.push({
      type: "actions",
      label: q.question,
      tag: questionTag(i),
      items: [
        ...q.options.map((o, index) => button(o.label, answer(optionValue(index)))),
        button(DEFAULT_LABEL, answer(USE_DEFAULT)),
      ],
    });
  });
  if (open.length > 0) {
    const base = { productionId: production.id, version: production.version };
    elements.push(divider(), {
      type: "actions",
      items: [
        button("Answer all", encodeAction({ kind: "answer_all", ...base }), "primary"),
        button("Skip — use defaults", encodeAction({ kind: "skip", ...base })),
      ],
    });
  }
  return {
    summary: `${plural(open.length, "question")} to answer before the script`,
    elements,
  };
}

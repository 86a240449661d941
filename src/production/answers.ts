/**
 * Checking answers to clarifying questions: every answer names a question that was asked and fills
 * its field validly. Shared by `answer` and by callers that send answers with the brief, so a bad
 * answer is refused before a production exists (not after, leaving one the caller never heard of).
 */
import { applyAnswers, askClarifyingQuestions } from "../agents/scriptsmith/index.js";
import type { Answers, ClarifyingQuestion } from "../domain/clarify.js";
import { ValidationError } from "../domain/errors.js";
import type { Vrd } from "../domain/vrd.js";

/** The brief with the answers applied; throws ValidationError naming each bad answer. */
export function checkAnswers(brief: Vrd, questions: readonly ClarifyingQuestion[], answers: Answers): Vrd {
  const ids = questions.map((q) => q.id);
  const unknown = Object.keys(answers).filter((key) => !ids.includes(key));
  if (unknown.length > 0)
    throw new ValidationError(
      unknown.map((key) => ({
        field: `answers.${key}`,
        message: ids.length
          ? `no such question (asked: ${ids.join(", ")})`
          : "no such question (this brief leaves nothing to ask)",
      })),
      "answers",
    );
  return applyAnswers(brief, questions, answers);
}

/** `checkAnswers` against the questions `start` will ask about this brief. */
export function checkAnswersForBrief(brief: Vrd, answers: Answers): void {
  checkAnswers(brief, askClarifyingQuestions(brief), answers);
}

/**
 * The one place API errors become HTTP answers. Domain errors keep their words (they are written for
 * people); anything unexpected is logged with its stack and answered with a generic 500.
 */
import type { FastifyError, FastifyReply, FastifyRequest } from "fastify";
import type { Logger } from "pino";
import {
  ConflictError,
  type FieldProblem,
  ForbiddenError,
  NotFoundError,
  UpstreamError,
  ValidationError,
} from "../domain/errors.js";
import { RequestKeyReusedError } from "../production/contract.js";

export interface ErrorBody {
  error: string;
  problems?: FieldProblem[];
  current_stage?: string | null;
  production?: unknown;
}

export interface HttpAnswer {
  status: number;
  body: ErrorBody;
}

/** Max request body, shared by the server option and its 413 message. */
export const BODY_LIMIT_BYTES = 1024 * 1024;

/** Status and JSON body for any thrown value; `logger` gets the unexpected ones. */
export function httpAnswerFor(err: unknown, logger?: Pick<Logger, "error">): HttpAnswer {
  if (err instanceof ValidationError)
    return { status: 400, body: { error: err.message, problems: err.problems } };
  if (err instanceof NotFoundError) return { status: 404, body: { error: err.message } };
  // The IETF Idempotency-Key draft's answer to a key reused with another body.
  if (err instanceof RequestKeyReusedError)
    return {
      status: 422,
      body: {
        error: err.message,
        problems: [{ field: "Idempotency-Key", message: "already used for a different request" }],
      },
    };
  if (err instanceof ConflictError) {
    const current = err.current as { stage?: unknown } | undefined;
    return {
      status: 409,
      body: {
        error: err.message,
        current_stage: typeof current?.stage === "string" ? current.stage : null,
        production: current ?? null,
      },
    };
  }
  if (err instanceof ForbiddenError) return { status: 403, body: { error: err.message } };
  if (err instanceof UpstreamError) return { status: 502, body: { error: err.message } };

  // Fastify's own client errors: body too large, bad JSON, wrong content type.
  const fastifyError = err as Partial<FastifyError>;
  if (fastifyError?.code === "FST_ERR_CTP_BODY_TOO_LARGE")
    return {
      status: 413,
      body: {
        error: `The request body is larger than ${BODY_LIMIT_BYTES / 1024 / 1024} MB; send a smaller VRD.`,
        problems: [{ field: "", message: `larger than ${BODY_LIMIT_BYTES / 1024 / 1024} MB` }],
      },
    };
  if (
    fastifyError?.code === "FST_ERR_CTP_INVALID_JSON_BODY" ||
    fastifyError?.code === "FST_ERR_CTP_EMPTY_JSON_BODY"
  )
    return invalidJson(fastifyError.message ?? "the body is not valid JSON");
  if (err instanceof SyntaxError) return invalidJson(err.message);
  if (fastifyError?.code === "FST_ERR_CTP_INVALID_MEDIA_TYPE")
    return {
      status: 415,
      body: {
        error: "Send the request body as JSON, with the header content-type: application/json.",
        problems: [{ field: "content-type", message: "must be application/json" }],
      },
    };
  const status = fastifyError?.statusCode;
  if (typeof status === "number" && status >= 400 && status < 500)
    return { status, body: { error: fastifyError.message ?? "Bad request" } };

  logger?.error({ err }, "unexpected error while answering a request");
  return { status: 500, body: { error: "Internal error. It has been logged; please try again." } };
}

function invalidJson(detail: string): HttpAnswer {
  const message = `not valid JSON (${detail})`;
  return {
    status: 400,
    body: { error: `Invalid request body: ${message}`, problems: [{ field: "", message }] },
  };
}

/** Fastify error handler: every route's errors go through `httpAnswerFor`. */
export function errorHandler(logger: Pick<Logger, "error">) {
  return (err: unknown, _request: FastifyRequest, reply: FastifyReply) => {
    const { status, body } = httpAnswerFor(err, logger);
    return reply.status(status).type("application/json").send(body);
  };
}

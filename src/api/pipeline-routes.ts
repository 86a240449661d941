/**
 * The stateless endpoints of the original plan (POST /api/production/script, /shots, /plan) and the
 * whole pipeline from one VRD as an SSE stream (POST /api/production/stream).
 */
import type { FastifyInstance } from "fastify";
import { parseOrThrow } from "../domain/parse.js";
import { addUsage } from "../domain/usage.js";
import { httpAnswerFor } from "./errors.js";
import { bodyOf, PlanRequest, ScriptRequest, ShotsRequest, withVrdObject } from "./schemas.js";
import type { ApiContext } from "./server.js";
import { openSse } from "./sse.js";
import { clarifiedBrief, planFor, scriptFor, shotsFor } from "./stateless.js";

export function registerPipelineRoutes(app: FastifyInstance, ctx: ApiContext): void {
  const agents = { llm: ctx.llm, wordsPerSecond: ctx.wordsPerSecond, now: ctx.now };

  app.post("/api/production/script", async (request) => {
    const body = parseOrThrow(ScriptRequest, withVrdObject(bodyOf(request)), "request body");
    const { questions, vrd, ignored, script } = await scriptFor(body, agents);
    ctx.metrics.recordLlmUsage("scripting", script.metadata.usage);
    // The original plan's {script_id, beats, metadata} plus the rest of the script, the questions asked,
    // the brief with their answers (post it back to /shots as `vrd`) and the clarifications left out.
    return { ...script, clarifying_questions: questions, vrd, ignored_clarifications: ignored };
  });

  app.post("/api/production/shots", async (request) => {
    const body = parseOrThrow(ShotsRequest, withVrdObject(bodyOf(request)), "request body");
    const { shotList, vrd } = await shotsFor(body, agents);
    ctx.metrics.recordLlmUsage("shooting", shotList.metadata.usage);
    return { ...shotList, vrd };
  });

  app.post("/api/production/plan", async (request) => {
    const body = parseOrThrow(PlanRequest, bodyOf(request), "request body");
    return planFor(body, await ctx.tools(), ctx.now);
  });

  /** The tool stack /plan chooses from (available, candidate and self-hosted tools), with sourced facts. */
  app.get("/api/tools", async () => ({ tools: await ctx.tools() }));

  /**
   * VRD → script → shots → plan with no review stops. Events: `questions`, `script`, `shots`, `plan`
   * (each with its artefact as soon as that agent finishes), `progress` before each agent, then
   * `done` with the tokens spent, or `error` with the message. A bad body is a plain 400, not a stream.
   */
  app.post("/api/production/stream", async (request, reply) => {
    const body = parseOrThrow(ScriptRequest, withVrdObject(bodyOf(request)), "request body");
    const brief = clarifiedBrief(body); // a bad answer is a 400 too, before the stream opens
    const sse = openSse(reply, ctx.sse);
    let seq = 0;
    const send = (event: string, data: unknown) => sse.send({ id: ++seq, event, data });
    void (async () => {
      try {
        send("progress", { step: "script", message: "ScriptSmith is writing the beats" });
        const { questions, vrd, answers, ignored, script } = await scriptFor(body, agents, brief);
        ctx.metrics.recordLlmUsage("scripting", script.metadata.usage);
        send("questions", { questions, answers, ignored_clarifications: ignored, vrd });
        send("script", { script });
        if (sse.closed) return;
        send("progress", { step: "shots", message: "ShotMaster is breaking the beats into shots" });
        const { shotList } = await shotsFor({ ...script, vrd }, agents);
        ctx.metrics.recordLlmUsage("shooting", shotList.metadata.usage);
        send("shots", { shot_list: shotList });
        if (sse.closed) return;
        send("progress", { step: "plan", message: "VideoSolver is choosing a tool per shot" });
        const plan = planFor({ ...shotList, constraints: vrd.constraints }, await ctx.tools(), ctx.now);
        send("plan", { plan });
        send("done", { usage: addUsage(script.metadata.usage, shotList.metadata.usage) });
      } catch (err) {
        const { status, body: answer } = httpAnswerFor(err, request.log);
        send("error", { status, ...answer });
      } finally {
        sse.close();
      }
    })();
    return reply;
  });
}

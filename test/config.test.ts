import { Writable } from "node:stream";
import { describe, expect, it } from "vitest";
import { ConfigError, llmConfigured, loadConfig } from "../src/config.js";
import { createLogger } from "../src/logger.js";

describe("configuration", () => {
  it("fills documented defaults from an empty environment", () => {
    const config = loadConfig({});
    expect(config.PORT).toBe(3000);
    expect(config.HOST).toBe("127.0.0.1");
    expect(config.PGLITE_DIR).toBe("./.data/pglite");
    expect(config.DATABASE_URL).toBeUndefined();
    expect(config.RESEARCH_CRON).toBe("0 6 * * *");
    expect(config.ARXIV_API_URL).toBe("http://export.arxiv.org/api/query");
    expect(llmConfigured(config)).toBe(false);
  });

  it("treats empty strings as unset", () => {
    const config = loadConfig({ OPENAI_API_KEY: "", DATABASE_URL: "", GITHUB_API_URL: "" });
    expect(config.OPENAI_API_KEY).toBeUndefined();
    expect(config.DATABASE_URL).toBeUndefined();
    expect(config.GITHUB_API_URL).toBe("https://api.github.com");
  });

  it("gives an empty numeric or named setting its default (PORT= must not mean port 0)", () => {
    const blank = Object.fromEntries(
      [
        "PORT",
        "HOST",
        "PGLITE_DIR",
        "LLM_MODEL",
        "LLM_TIMEOUT_MS",
        "SPEAKING_RATE_WPS",
        "RESEARCH_CRON",
        "RESEARCH_TZ",
        "LOG_LEVEL",
      ].map((name) => [name, " "]),
    );
    expect(loadConfig(blank)).toEqual(loadConfig({}));
    expect(loadConfig({ PORT: "0" }).PORT).toBe(0);
    expect(loadConfig({ LOG_LEVEL: "INFO" }).LOG_LEVEL).toBe("info");
    expect(() => loadConfig({ LOG_LEVEL: "verbose" })).toThrow(/LOG_LEVEL: expected one of fatal/);
  });

  it("names every bad variable and what it expects, without echoing the value", () => {
    let message = "";
    try {
      loadConfig({
        PORT: "99999",
        DATABASE_URL: "mysql://secret-password@db",
        LLM_STRUCTURED_METHOD: "magic",
        OPENAI_BASE_URL: "not a url",
        RESEARCH_CRON: "every day",
        RESEARCH_TZ: "Mars/Olympus",
      });
    } catch (err) {
      expect(err).toBeInstanceOf(ConfigError);
      message = (err as Error).message;
    }
    const lines = message.split("\n");
    expect(lines).toEqual([
      "PORT: expected at most 65535",
      expect.stringMatching(/^DATABASE_URL: expected .*postgres/),
      "OPENAI_BASE_URL: expected an http(s) URL",
      "LLM_STRUCTURED_METHOD: expected one of jsonSchema, functionCalling, jsonMode",
      'RESEARCH_CRON: expected a cron expression such as "0 6 * * *"',
      'RESEARCH_TZ: expected an IANA time zone such as "UTC" or "Europe/Berlin"',
    ]);
    expect(message).not.toContain("secret-password");
  });
});

describe("logger", () => {
  it("never writes secrets", () => {
    let written = "";
    const sink = new Writable({
      write(chunk, _enc, done) {
        written += String(chunk);
        done();
      },
    });
    const logger = createLogger("info", sink);
    logger.info(
      {
        config: {
          OPENAI_API_KEY: "sk-live-123",
          SLACK_BOT_TOKEN: "xoxb-456",
          DATABASE_URL: "postgresql://u:pw@h/db",
        },
        req: { headers: { authorization: "Bearer abc789" } },
        client: { token: "tok-000" },
      },
      "starting",
    );
    expect(written).toContain("starting");
    for (const secret of ["sk-live-123", "xoxb-456", "pw@h", "abc789", "tok-000"])
      expect(written).not.toContain(secret);
    expect(written).toContain("[redacted]");
  });
});

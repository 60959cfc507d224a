import { describe, expect, it } from "vitest";
import {
  createLogger,
  formatLogLine,
  logOptionsFromEnv,
} from "../../observability/logger.js";

/** A logger writing into an array, one JSON line each. */
function capture(format: "json" | "pretty" = "json") {
  const lines: string[] = [];
  const logger = createLogger({
    format,
    level: "info",
    destination: { write: (line: string) => void lines.push(line) },
  });
  return { logger, lines };
}

describe("the hub's logger", () => {
  it("writes one JSON object a line with an ISO time, the level as a word, and the fields given", () => {
    const { logger, lines } = capture();
    logger
      .child({ jobId: "42" })
      .info({ rows: 1000, durationMs: 12.5 }, "import finished");
    expect(lines).toHaveLength(1);
    const record = JSON.parse(lines[0]!) as Record<string, unknown>;
    expect(record).toMatchObject({
      level: "info",
      msg: "import finished",
      jobId: "42",
      rows: 1000,
      durationMs: 12.5,
    });
    expect(record.time).toMatch(
      /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/,
    );
  });

  it("never writes a secret, whoever passes one", () => {
    const { logger, lines } = capture();
    logger.warn(
      { headers: { authorization: "Bearer sshub_1_secret" }, secret: "s" },
      "odd request",
    );
    expect(lines[0]).not.toContain("sshub_1_secret");
    expect(lines[0]).not.toContain('"s"');
    expect(lines[0]).toContain("[redacted]");
  });

  it("writes a short readable line on a terminal", () => {
    const { logger, lines } = capture("pretty");
    logger.info(
      { requestId: "r-1", status: 200, token: "etl" },
      "POST /graphql 200 3 ms",
    );
    expect(lines[0]).toMatch(
      /^\d{2}:\d{2}:\d{2}\.\d{3} INFO {2}POST \/graphql 200 3 ms requestId=r-1 token=etl status=200\n$/,
    );
    expect(formatLogLine("not json")).toBe("not json\n");
  });

  it("reads SSHUB_LOG_FORMAT and SSHUB_LOG_LEVEL, readable by default only on a terminal", () => {
    expect(logOptionsFromEnv({}, true)).toEqual({
      format: "pretty",
      level: "info",
    });
    expect(logOptionsFromEnv({}, false).format).toBe("json");
    expect(
      logOptionsFromEnv(
        { SSHUB_LOG_FORMAT: "json", SSHUB_LOG_LEVEL: "debug" },
        true,
      ),
    ).toEqual({ format: "json", level: "debug" });
    expect(() => logOptionsFromEnv({ SSHUB_LOG_FORMAT: "xml" })).toThrow(
      /SSHUB_LOG_FORMAT/,
    );
    expect(() => logOptionsFromEnv({ SSHUB_LOG_LEVEL: "loud" })).toThrow(
      /SSHUB_LOG_LEVEL/,
    );
  });
});

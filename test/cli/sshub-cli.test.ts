import { spawn } from "node:child_process";
import { createServer } from "node:net";
import { describe, expect, it } from "vitest";
import { useTestDatabase } from "../support/test-database.js";
import { freePort, runSshub, SSHUB_BIN } from "../support/sshub-process.js";

// These run the built CLI (`bin/sshub.js` → `dist/`), which `npm test` rebuilds first (pretest).

const db = useTestDatabase();

const sshub = (args: string[], env: Record<string, string> = {}) =>
  runSshub(args, db.url, env);

describe("sshub", () => {
  it("prints help for every command", () => {
    for (const args of [
      ["--help"],
      ["start", "--help"],
      ["migrate", "--help"],
    ]) {
      const result = sshub(args);
      expect(result.status, args.join(" ")).toBe(0);
      expect(result.stdout).toContain("Usage: sshub");
    }
  });

  it("exits 2 on an unknown command", () => {
    const result = sshub(["frobnicate"]);
    expect(result.status).toBe(2);
    expect(result.stderr).toContain("unknown command");
  });

  it("exits 2 on a usage error in any command, nested ones included", () => {
    for (const args of [
      ["token", "create", "--name", "x", "--role", "bogus"],
      ["import"],
      ["reconcile", "--year", "2009/10"],
    ]) {
      const result = sshub(args);
      expect(result.status, args.join(" ")).toBe(2);
      expect(result.stderr).toMatch(/error:/);
    }
  });

  it("creates a token that is printed once, lists it without its secret, and revokes it", () => {
    const created = sshub([
      "token",
      "create",
      "--name",
      "cli-test",
      "--role",
      "finance",
      "--council",
      "E07000034",
    ]);
    expect(created.status, created.stderr).toBe(0);
    const token = created.stdout.trim();
    expect(token).toMatch(/^sshub_\d+_[A-Za-z0-9_-]{43}$/);
    const listed = sshub(["token", "list", "--json"]);
    expect(listed.stdout).not.toContain(token.split("_").at(-1));
    expect(JSON.parse(listed.stdout)).toEqual([
      expect.objectContaining({
        name: "cli-test",
        role: "finance",
        councils: "E07000034",
        state: "active",
      }),
    ]);
    expect(sshub(["token", "revoke", "cli-test"]).status).toBe(0);
    expect(JSON.parse(sshub(["token", "list", "--json"]).stdout)[0].state).toBe(
      "revoked",
    );
  });

  it("migrate reports an up-to-date database", () => {
    const result = sshub(["migrate"]);
    expect(result.stderr).toBe("");
    expect(result.status).toBe(0);
    expect(result.stdout).toContain("up to date");
  });

  it("refuses a busy port with one clear line", async () => {
    const blocker = createServer();
    const port = await new Promise<number>((resolve) =>
      blocker.listen(0, "localhost", () =>
        resolve((blocker.address() as { port: number }).port),
      ),
    );
    try {
      const result = sshub(["start", "--no-sample-data"], {
        PORT: String(port),
      });
      expect(result.status).toBe(1);
      expect(result.stderr.trim().split("\n").at(-1)).toMatch(
        new RegExp(`Port ${port} is already in use.*PORT`),
      );
    } finally {
      blocker.close();
    }
  });

  it("start serves GraphQL and /healthz, prints the URL, and stops cleanly on SIGTERM", async () => {
    const port = await freePort();
    const child = spawn(
      process.execPath,
      [SSHUB_BIN, "start", "--no-sample-data"],
      {
        env: { ...process.env, DATABASE_URL: db.url, PORT: String(port) },
        stdio: ["ignore", "pipe", "pipe"],
      },
    );
    let stdout = "";
    let stderr = "";
    child.stderr.on(
      "data",
      (chunk: Buffer) => void (stderr += chunk.toString()),
    );
    const exited = new Promise<number | null>((resolve) =>
      child.on("exit", (code) => resolve(code)),
    );
    await new Promise<void>((resolve, reject) => {
      child.stdout.on("data", (chunk: Buffer) => {
        stdout += chunk.toString();
        if (stdout.includes("ready at")) resolve();
      });
      child.on("exit", () =>
        reject(new Error(`start exited early: ${stderr}`)),
      );
    });
    expect(stdout).toContain(`http://localhost:${port}/graphql`);

    const health = await fetch(`http://localhost:${port}/healthz`);
    expect(health.status).toBe(200);
    expect(await health.json()).toEqual({ status: "ok" });
    expect((await fetch(`http://localhost:${port}/readyz`)).status).toBe(200);

    const response = await fetch(`http://localhost:${port}/graphql`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({
        query:
          '{ council(code: "E06000049") { officialName predecessors { shortName } } }',
      }),
    });
    const body = (await response.json()) as {
      data: {
        council: {
          officialName: string;
          predecessors: { shortName: string }[];
        };
      };
    };
    expect(body.data.council.officialName).toBe("Cheshire East Council");
    expect(body.data.council.predecessors.map((p) => p.shortName)).toContain(
      "Congleton",
    );

    child.kill("SIGTERM");
    expect(await exited).toBe(0);
  });
});

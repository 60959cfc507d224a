import { spawn, type ChildProcess } from "node:child_process";
import { freePort, SSHUB_BIN } from "./sshub-process.js";

/** A running `sshub start` process. */
export interface HubProcess {
  base: string;
  child: ChildProcess;
  /** Everything it wrote to stderr (its log) so far. */
  log(): string;
  /** SIGTERM, then waits for it to exit; resolves to its exit code. */
  stop(): Promise<number | null>;
}

/** Starts `sshub start --no-sample-data` on `databaseUrl` with `env`; resolves once it says it is ready. */
export async function startHubProcess(
  databaseUrl: string,
  env: Record<string, string> = {},
): Promise<HubProcess> {
  const port = await freePort();
  const child = spawn(
    process.execPath,
    [SSHUB_BIN, "start", "--no-sample-data"],
    {
      env: {
        ...process.env,
        DATABASE_URL: databaseUrl,
        PORT: String(port),
        HOST: "127.0.0.1",
        ...env,
      },
      stdio: ["ignore", "pipe", "pipe"],
    },
  );
  let stderr = "";
  child.stderr!.on("data", (chunk: Buffer) => void (stderr += chunk));
  const exited = new Promise<number | null>((resolve) =>
    child.once("exit", (code) => resolve(code)),
  );
  await new Promise<void>((resolve, reject) => {
    let stdout = "";
    child.stdout!.on("data", (chunk: Buffer) => {
      stdout += chunk.toString();
      if (stdout.includes("ready at")) resolve();
    });
    void exited.then((code) =>
      reject(new Error(`sshub start exited (${code}) early: ${stderr}`)),
    );
  });
  return {
    base: `http://127.0.0.1:${port}`,
    child,
    log: () => stderr,
    async stop() {
      if (child.exitCode === null) child.kill("SIGTERM");
      return exited;
    },
  };
}

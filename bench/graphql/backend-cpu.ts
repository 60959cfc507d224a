import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import type pg from "pg";

/**
 * The CPU time each PostgreSQL backend has used (user + system, from /proc/<pid>/stat), in
 * milliseconds, by backend pid: what a server's pool cost PostgreSQL, which the server's own
 * process.cpuUsage() does not see.
 */
export type BackendCpu = Map<number, number>;

/** Clock ticks per second (`getconf CLK_TCK`): /proc/<pid>/stat counts CPU time in ticks. */
const TICKS_PER_SECOND = (() => {
  try {
    return (
      Number(execFileSync("getconf", ["CLK_TCK"]).toString().trim()) || 100
    );
  } catch {
    return 100;
  }
})();

/**
 * A process's user + system CPU in milliseconds, or null when /proc does not show it as a
 * PostgreSQL process (another machine's server, or a pid that has gone): the figure is then "n/a"
 * rather than another process's time.
 */
function processCpuMs(pid: number): number | null {
  let stat: string;
  try {
    stat = readFileSync(`/proc/${pid}/stat`, "utf8");
  } catch {
    return null;
  }
  // "pid (comm) state ppid …": comm may hold spaces or parentheses, so split after the last ")".
  const open = stat.indexOf("(");
  const close = stat.lastIndexOf(")");
  if (!stat.slice(open + 1, close).startsWith("postgres")) return null;
  const fields = stat.slice(close + 2).split(" ");
  // Fields 14 and 15 of stat (utime, stime) are the 12th and 13th after the comm.
  const ticks = Number(fields[11]) + Number(fields[12]);
  return (ticks * 1000) / TICKS_PER_SECOND;
}

/**
 * The CPU so far of every backend of `database` whose application_name is `applicationName` (the
 * name each bench server's pool connects with), or null when any of them cannot be read from this
 * machine's /proc (the server is elsewhere).
 */
export async function backendCpu(
  client: pg.Client,
  applicationName: string,
): Promise<BackendCpu | null> {
  const { rows } = await client.query<{ pid: number }>(
    `select pid from pg_stat_activity
     where datname = current_database() and application_name = $1 and backend_type = 'client backend'`,
    [applicationName],
  );
  const cpu: BackendCpu = new Map();
  for (const { pid } of rows) {
    const ms = processCpuMs(pid);
    if (ms === null) return null;
    cpu.set(pid, ms);
  }
  return cpu;
}

/**
 * The CPU the backends used between two readings: a backend seen only at the end was opened during
 * the run and counts from zero; one seen only at the start closed during the run, and its time since
 * the start is lost (counted in `lost`; the bench's pools keep their connections open so that none is).
 */
export function backendCpuBetween(
  before: BackendCpu | null,
  after: BackendCpu | null,
): { ms: number; lost: number } | null {
  if (!before || !after) return null;
  let ms = 0;
  for (const [pid, end] of after) ms += end - (before.get(pid) ?? 0);
  const lost = [...before.keys()].filter((pid) => !after.has(pid)).length;
  return { ms, lost };
}

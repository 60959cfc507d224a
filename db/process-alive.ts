import { readFileSync } from "node:fs";

/**
 * When pid started, in clock ticks since boot (Linux `/proc/<pid>/stat` field 22), or null where
 * there is no /proc. Lease and lock files record it so a later process that reuses the pid does
 * not pass for the one that wrote them.
 */
export function processStartTime(pid: number): string | null {
  const stat = readProcStat(pid);
  return stat?.[19] ?? null;
}

/** Whether pid is a running (not zombie) process and, when startTime is given, still the one that recorded it. */
export function isProcessAlive(
  pid: number,
  startTime?: string | null,
): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
  } catch (error) {
    // EPERM: it exists but belongs to another user.
    if ((error as NodeJS.ErrnoException).code !== "EPERM") return false;
  }
  const stat = readProcStat(pid);
  if (stat === null) return true;
  if (stat[0] === "Z" || stat[0] === "X") return false;
  return !startTime || stat[19] === startTime;
}

/** The fields of /proc/<pid>/stat after the command name (so index 0 is field 3, the state). */
function readProcStat(pid: number): string[] | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    // The command name may itself hold spaces and parentheses: the fields start after the last ")".
    return stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  } catch {
    return null;
  }
}

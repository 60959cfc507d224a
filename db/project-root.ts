import { existsSync } from "node:fs";
import { dirname, join } from "node:path";

/** The nearest folder at or above fromDir that holds a package.json (works from db/ and dist/db/ alike). */
export function findProjectRoot(fromDir: string): string {
  let dir = fromDir;
  for (;;) {
    if (existsSync(join(dir, "package.json"))) return dir;
    const parent = dirname(dir);
    if (parent === dir)
      throw new Error(`No package.json found above ${fromDir}.`);
    dir = parent;
  }
}

import { Command } from "commander";
import { withHubSession } from "./hub-session.js";
import { logLine, runCommand } from "./run-command.js";

/** `sshub migrate`: applies the committed migrations, the only way the schema changes. */
export function migrateCommand(): Command {
  return new Command("migrate")
    .description(
      "Apply every pending committed database migration (start does this too), then stop.",
    )
    .action(() =>
      runCommand(async () => {
        await withHubSession(
          {
            log: logLine,
            migrateOnly: true,
          },
          async (session) => {
            const applied = session.migrationsApplied;
            process.stdout.write(
              applied.length
                ? `Applied ${applied.length} migration(s): ${applied.join(", ")}\n`
                : "The database is up to date.\n",
            );
          },
        );
      }),
    );
}

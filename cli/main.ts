import "reflect-metadata";
import { Command } from "commander";
import { ExitCode } from "./run-command.js";
import { importCommand } from "./import-command.js";
import { migrateCommand } from "./migrate-command.js";
import { profilesCommand } from "./profiles-command.js";
import { reconcileCommand } from "./reconcile-command.js";
import { startCommand } from "./start-command.js";
import { tokenCommand } from "./token-command.js";
import { workerCommand } from "./worker-command.js";

const program = new Command("sshub")
  .description(
    "Shared Services Hub: councils' shared services, governance and savings, imported from their workbooks.",
  )
  .addCommand(startCommand())
  .addCommand(migrateCommand())
  .addCommand(importCommand())
  .addCommand(reconcileCommand())
  .addCommand(tokenCommand())
  .addCommand(profilesCommand())
  .addCommand(workerCommand());

// Commands added with addCommand do not inherit these settings, so every command gets them here:
// usage errors (unknown options, bad choices, missing arguments) print help and exit 2.
function applyUsageHandling(command: Command): void {
  command
    .showHelpAfterError()
    .exitOverride((error) =>
      process.exit(error.exitCode === 0 ? ExitCode.Ok : ExitCode.Usage),
    );
  command.commands.forEach(applyUsageHandling);
}
applyUsageHandling(program);

await program.parseAsync(process.argv);

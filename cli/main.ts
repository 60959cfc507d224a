import "reflect-metadata";
import { Command } from "commander";
import { importCommand } from "./import-command.js";
import { migrateCommand } from "./migrate-command.js";
import { reconcileCommand } from "./reconcile-command.js";
import { startCommand } from "./start-command.js";
import { tokenCommand } from "./token-command.js";

const program = new Command("sshub")
  .description(
    "Shared Services Hub: councils' shared services, governance and savings, imported from their workbooks.",
  )
  .showHelpAfterError()
  .exitOverride((error) => process.exit(error.exitCode === 0 ? 0 : 2))
  .addCommand(startCommand())
  .addCommand(migrateCommand())
  .addCommand(importCommand())
  .addCommand(reconcileCommand())
  .addCommand(tokenCommand());

await program.parseAsync(process.argv);

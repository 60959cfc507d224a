import { Command } from "commander";
import { NotFoundError } from "../errors/hub-error.js";
import {
  forgetImportProfile,
  listImportProfiles,
} from "../importers/import-profile-store.js";
import type { MappingProfile } from "../importers/mapping-profile.js";
import { describeAnswers } from "../importers/remembered-answers.js";
import { describeShape } from "../importers/workbook-shape.js";
import { reportingPeriodInWords } from "../schema/reporting-period.js";
import { ImportProfile } from "../schema/import-profile.js";
import { withHubSession } from "./hub-session.js";
import { ExitCode, logLine, runCommand } from "./run-command.js";

function profileNumber(text: string): number | null {
  return /^\d+$/.test(text.trim()) ? Number(text.trim()) : null;
}

function asJson(profile: ImportProfile) {
  return {
    id: profile.id,
    sheets: profile.shape.map((s) => s.name),
    shape: profile.shape,
    answers: profile.answers,
    importRun: profile.importRun.id,
    fileName: profile.fileName,
    reportingPeriod: profile.reportingPeriod ?? null,
    createdAt: profile.createdAt.toISOString(),
    updatedAt: profile.updatedAt.toISOString(),
  };
}

/**
 * `sshub profiles list | show ID | forget ID`: the answers imports were given, remembered per
 * workbook layout and used by next month's import of the same layout.
 */
export function profilesCommand(): Command {
  const profiles = new Command("profiles").description(
    "The answers imports were given (partnership, measure, the month in the file name, a mapping), remembered per workbook layout.",
  );
  profiles
    .command("list")
    .description("List the remembered profiles.")
    .option("--json", "print JSON")
    .action((options: { json?: boolean }) =>
      runCommand(() =>
        withHubSession({ log: logLine }, async ({ orm }) => {
          const list = await listImportProfiles(orm.em.fork());
          if (options.json)
            process.stdout.write(
              `${JSON.stringify(list.map(asJson), null, 2)}\n`,
            );
          else if (!list.length)
            process.stdout.write(
              "No answers remembered yet: an import given --partnership, --measure, --period or --mapping remembers them for its workbook's layout.\n",
            );
          else
            for (const p of list)
              process.stdout.write(
                `#${p.id}  ${p.fileName}  from import run #${p.importRun.id}${p.reportingPeriod ? ` (${reportingPeriodInWords(p.reportingPeriod)})` : ""}  sheets: ${p.shape.map((s) => s.name).join(", ")}\n     ${describeAnswers(p.answers as MappingProfile)}\n`,
              );
        }),
      ),
    );
  profiles
    .command("show")
    .description("Show one profile: the layout it is for and its answers.")
    .argument("<id>", "the profile's number (from `sshub profiles list`)")
    .option("--json", "print JSON")
    .action((id: string, options: { json?: boolean }) =>
      runCommand(() =>
        withHubSession({ log: logLine }, async ({ orm }) => {
          const number = profileNumber(id);
          const profile =
            number === null
              ? null
              : await orm.em.fork().findOne(ImportProfile, { id: number });
          if (!profile) throw NotFoundError.entity("import profile", id);
          if (options.json) {
            process.stdout.write(
              `${JSON.stringify(asJson(profile), null, 2)}\n`,
            );
            return;
          }
          process.stdout.write(
            [
              `Profile #${profile.id}, remembered from import run #${profile.importRun.id} of ${profile.fileName}${profile.reportingPeriod ? ` (${reportingPeriodInWords(profile.reportingPeriod)})` : ""}`,
              `Answers: ${describeAnswers(profile.answers as MappingProfile)}`,
              "Layout (sheet: header row; months and numbers shown as <month> and #):",
              ...describeShape(profile.shape)
                .split("\n")
                .map((line) => `  ${line}`),
              `As a --mapping file: ${JSON.stringify(profile.answers)}`,
              "",
            ].join("\n"),
          );
        }),
      ),
    );
  profiles
    .command("forget")
    .description(
      "Forget one profile: next month's file of its layout needs its answers again.",
    )
    .argument("<id>", "the profile's number (from `sshub profiles list`)")
    .action((id: string) =>
      runCommand(() =>
        withHubSession({ log: logLine }, async ({ orm }) => {
          const number = profileNumber(id);
          if (
            number === null ||
            !(await forgetImportProfile(orm.em.fork(), number))
          )
            throw NotFoundError.entity("import profile", id);
          process.stdout.write(`Forgot profile #${number}.\n`);
          return ExitCode.Ok;
        }),
      ),
    );
  return profiles;
}

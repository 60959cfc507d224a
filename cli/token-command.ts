import { Command, Option } from "commander";
import { ApiToken } from "../schema/api-token.js";
import { Role } from "../schema/role.js";
import { operatorCaller } from "../server/caller.js";
import { createToken, revokeToken } from "../server/auth/token-service.js";
import { withHubSession } from "./hub-session.js";
import { logLine, runCommand } from "./run-command.js";

/** `sshub token create | list | revoke`: API tokens for the HTTP API (run locally, as the operator). */
export function tokenCommand(): Command {
  const token = new Command("token").description(
    "Manage API tokens. Clients send them as `Authorization: Bearer <token>`; only a hash is stored.",
  );
  token
    .command("create")
    .description("Create a token and print it once (it cannot be shown again).")
    .requiredOption("--name <name>", "who or what uses the token (unique)")
    .addOption(
      new Option(
        "--role <role>",
        "what it may do: viewer reads; analyst also imports; finance also reconciles and exports; admin also manages tokens",
      )
        .choices(["viewer", "analyst", "finance", "admin"])
        .makeOptionMandatory(),
    )
    .option(
      "--council <code...>",
      "bind it to these councils (GSS or 3-letter codes); without: national",
    )
    .option(
      "--expires <when>",
      'expiry: 90d, 12h, 2w, a date (YYYY-MM-DD) or "never"',
      "90d",
    )
    .action(
      (options: {
        name: string;
        role: string;
        council?: string[];
        expires: string;
      }) =>
        runCommand(() =>
          withHubSession({ log: logLine }, async ({ orm }) => {
            const { token: text, record } = await createToken(orm.em.fork(), {
              name: options.name,
              role: options.role.toUpperCase() as Role,
              councils: options.council ?? [],
              expires: options.expires,
              createdBy: operatorCaller(),
            });
            logLine(
              `Created token "${record.name}" (${record.role.toLowerCase()}, ${record.councilGssCodes?.join(" ") ?? "national"}, ` +
                `${record.expiresAt ? `expires ${record.expiresAt.toISOString()}` : "never expires"}). Keep it secret; it is shown only now:`,
            );
            process.stdout.write(`${text}\n`);
          }),
        ),
    );
  token
    .command("list")
    .description("List tokens (never their secrets).")
    .option("--json", "print JSON")
    .action((options: { json?: boolean }) =>
      runCommand(() =>
        withHubSession({ log: logLine }, async ({ orm }) => {
          const tokens = await orm.em
            .fork()
            .find(ApiToken, {}, { orderBy: { id: "asc" } });
          const rows = tokens.map((t) => ({
            id: t.id,
            name: t.name,
            role: t.role.toLowerCase(),
            councils: t.councilGssCodes?.join(" ") ?? "national",
            state: t.revokedAt
              ? "revoked"
              : t.expiresAt && t.expiresAt <= new Date()
                ? "expired"
                : "active",
            expires: t.expiresAt?.toISOString() ?? "never",
            lastUsed: t.lastUsedAt?.toISOString() ?? "never",
          }));
          if (options.json)
            process.stdout.write(`${JSON.stringify(rows, null, 2)}\n`);
          else if (!rows.length)
            process.stdout.write(
              "No tokens yet: `sshub token create --name NAME --role viewer`.\n",
            );
          else console.table(rows);
        }),
      ),
    );
  token
    .command("revoke")
    .description("Revoke a token by name or id; it stops working at once.")
    .argument("<name-or-id>", "the token's name or id")
    .action((nameOrId: string) =>
      runCommand(() =>
        withHubSession({ log: logLine }, async ({ orm }) => {
          const record = await revokeToken(
            orm.em.fork(),
            nameOrId,
            operatorCaller(),
          );
          process.stdout.write(`Revoked token "${record.name}".\n`);
        }),
      ),
    );
  return token;
}

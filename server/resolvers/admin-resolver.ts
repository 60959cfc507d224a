import {
  Args,
  Authorized,
  Ctx,
  ObjectType,
  Query,
  Resolver,
} from "type-graphql";
import { ApiToken } from "../../schema/api-token.js";
import { AuditEvent } from "../../schema/audit-event.js";
import { Role } from "../../schema/role.js";
import type { Context } from "../context.js";
import { SqlConditions } from "../loading/sql-rows.js";
import { Connection, type ConnectionShape } from "../pagination/connection.js";
import { offsetList } from "../pagination/offset-list.js";
import { PageArgs } from "./arguments.js";

/** A page of audit events. */
@ObjectType({
  description: "A page of audit events (Relay connection), newest first.",
})
export class AuditEventConnection extends Connection(
  AuditEvent,
  "AuditEvent",
) {}

/** What only admins may read: the audit log and the API tokens (never their secrets). */
@Resolver()
export class AdminResolver {
  @Authorized(Role.ADMIN)
  @Query(() => AuditEventConnection, {
    description:
      "Every import, export and token change, newest first, with who did it. Admins only.",
  })
  auditEvents(
    @Args(() => PageArgs) args: PageArgs,
    @Ctx() { em }: Context,
  ): Promise<ConnectionShape<AuditEvent>> {
    return offsetList(
      em,
      AuditEvent,
      {
        from: "audit_event a",
        alias: "a",
        where: new SqlConditions(),
        order: "a.id desc",
      },
      args.first,
      args.after,
    );
  }

  @Authorized(Role.ADMIN)
  @Query(() => [ApiToken], {
    description:
      "Every API token, oldest first (never its secret). Admins only.",
  })
  apiTokens(@Ctx() { em }: Context): Promise<ApiToken[]> {
    return em.find(ApiToken, {}, { orderBy: { id: "asc" } });
  }
}

import type { Opt } from "@mikro-orm/core";
import {
  Entity,
  Enum,
  Index,
  PrimaryKey,
  Property,
} from "@mikro-orm/decorators/legacy";
import { Field, ID, ObjectType, registerEnumType } from "type-graphql";
import { GraphQLJSONObject } from "graphql-scalars";

/** What an audit event records. */
export enum AuditAction {
  IMPORT = "IMPORT",
  EXPORT = "EXPORT",
  TOKEN_CREATED = "TOKEN_CREATED",
  TOKEN_REVOKED = "TOKEN_REVOKED",
}
registerEnumType(AuditAction, {
  name: "AuditAction",
  description: "What an audit event records.",
  valuesConfig: {
    IMPORT: {
      description: "A workbook was imported (or refused, or dry-run).",
    },
    EXPORT: { description: "A reconciliation workbook was exported." },
    TOKEN_CREATED: { description: "An API token was created." },
    TOKEN_REVOKED: { description: "An API token was revoked." },
  },
});

/** One recorded import, export or token change: who (token name or operator), what and when. */
@ObjectType({ description: "One recorded import, export or token change." })
@Entity({ tableName: "audit_event" })
@Index({ properties: ["at"] })
export class AuditEvent {
  @Field(() => ID, { description: "Event id." })
  @PrimaryKey({ type: "integer", autoincrement: true })
  id!: number;

  @Field(() => Date, { description: "When it happened." })
  @Property({ type: "datetime" })
  at: Opt<Date> = new Date();

  @Field(() => String, {
    description: "The token's name, or the local operator.",
  })
  @Property({ type: "text" })
  actor!: string;

  @Field(() => AuditAction, { description: "What happened." })
  @Enum({ items: () => AuditAction })
  action!: AuditAction;

  @Field(() => GraphQLJSONObject, {
    description: "Details: file, import run, partnership, token name…",
  })
  @Property({ type: "json" })
  details: Opt<Record<string, unknown>> = {};
}

import type { Opt } from "@mikro-orm/core";
import {
  Entity,
  Enum,
  PrimaryKey,
  Property,
} from "@mikro-orm/decorators/legacy";
import { Field, ID, ObjectType } from "type-graphql";
import { Role } from "./role.js";

/**
 * An API token. Only a scrypt hash of its secret is stored; the token itself is printed once when
 * created. A token bound to councils sees savings, reconciliations, exports and import runs only for
 * the partnerships those councils belong to.
 */
@ObjectType({ description: "An API token (never its secret)." })
@Entity({ tableName: "api_token" })
export class ApiToken {
  @Field(() => ID, {
    description: "Token id; also the token's visible prefix (sshub_<id>_…).",
  })
  @PrimaryKey({ type: "integer", autoincrement: true })
  id!: number;

  @Field(() => String, {
    description: "A name saying who or what uses the token; unique.",
  })
  @Property({ type: "text", unique: true })
  name!: string;

  @Field(() => Role, { description: "What the token may do." })
  @Enum({ items: () => Role })
  role!: Role;

  @Field(() => [String], {
    nullable: true,
    description: "GSS codes of the councils it is bound to; null: national.",
  })
  @Property({ type: "text[]", nullable: true })
  councilGssCodes?: string[] | null;

  /** scrypt$N$r$p$salt$hash, all base64url: never the secret itself. */
  @Property({ type: "text" })
  secretHash!: string;

  @Field(() => Date, { description: "When it was created." })
  @Property({ type: "datetime" })
  createdAt: Opt<Date> = new Date();

  @Field(() => String, { description: "Who created it." })
  @Property({ type: "text" })
  createdBy!: string;

  @Field(() => Date, {
    nullable: true,
    description: "When it stops working; null: never.",
  })
  @Property({ type: "datetime", nullable: true })
  expiresAt?: Date | null;

  @Field(() => Date, {
    nullable: true,
    description: "When it was revoked; null while valid.",
  })
  @Property({ type: "datetime", nullable: true })
  revokedAt?: Date | null;

  @Field(() => Date, {
    nullable: true,
    description: "When it was last used (updated at most once a minute).",
  })
  @Property({ type: "datetime", nullable: true })
  lastUsedAt?: Date | null;
}

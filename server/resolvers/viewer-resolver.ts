import { Ctx, Field, ObjectType, Query, Resolver } from "type-graphql";
import { Role, roleIncludes } from "../../schema/role.js";
import { anonymousDevelopmentViewer } from "../caller.js";
import type { Context } from "../context.js";
import { mayImportOverHttp } from "../auth/auth-checker.js";

/** Who is calling, as the API sees it: what the web page shows after sign-in. */
@ObjectType({
  description:
    "Who is calling: the token's name and role (or the anonymous development viewer).",
})
export class Viewer {
  @Field(() => String, {
    description:
      'The token\'s name, the local operator, or "anonymous (development)".',
  })
  name!: string;

  @Field(() => Role, { description: "What the caller may do." })
  role!: Role;

  @Field(() => [String], {
    nullable: true,
    description:
      "GSS codes of the councils the caller is bound to; null: national.",
  })
  councilGssCodes!: string[] | null;

  @Field(() => Boolean, {
    description:
      "True for a request without a token in development mode (production refuses those).",
  })
  anonymous!: boolean;

  @Field(() => Boolean, {
    description:
      "Whether the caller may import workbooks over HTTP (POST /imports): an analyst or above with a national token.",
  })
  mayImport!: boolean;

  @Field(() => Boolean, {
    description:
      "Whether the caller may reconcile savings and export the workbook: finance or above.",
  })
  mayReconcile!: boolean;
}

/** `viewer`: lets a client (the web page) show who it is signed in as, and what that role allows. */
@Resolver()
export class ViewerResolver {
  @Query(() => Viewer, {
    description: "Who is calling: the token's name, role and councils.",
  })
  viewer(@Ctx() { caller }: Context): Viewer {
    return {
      name: caller.name,
      role: caller.role,
      councilGssCodes: caller.councilGssCodes
        ? [...caller.councilGssCodes]
        : null,
      anonymous: caller === anonymousDevelopmentViewer,
      mayImport: mayImportOverHttp(caller),
      mayReconcile: roleIncludes(caller.role, Role.FINANCE),
    };
  }
}

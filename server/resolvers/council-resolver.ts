import { raw, type FilterQuery } from "@mikro-orm/core";
import {
  Arg,
  Ctx,
  FieldResolver,
  Int,
  ObjectType,
  Query,
  Resolver,
  Root,
} from "type-graphql";
import { NotFoundError } from "../../errors/hub-error.js";
import { Council } from "../../schema/council.js";
import type { Context } from "../context.js";
import {
  Connection,
  pageWindow,
  toConnection,
  type ConnectionShape,
} from "../pagination/connection.js";

/** A page of councils. */
@ObjectType({ description: "A page of councils (Relay connection)." })
export class CouncilConnection extends Connection(Council, "Council") {}

/** Root queries and links of councils. */
@Resolver(() => Council)
export class CouncilResolver {
  @Query(() => Council, {
    description:
      "One council by its GSS code (e.g. E06000049) or 3-letter register code (e.g. CHE).",
  })
  async council(
    @Arg("code", () => String, {
      description: "GSS code or 3-letter register code, any case.",
    })
    code: string,
    @Ctx() { em }: Context,
  ): Promise<Council> {
    const wanted = code.trim().toUpperCase();
    const council = await em.findOne(Council, {
      $or: [{ gssCode: wanted }, { registerCode: wanted }],
    });
    if (!council) throw NotFoundError.councilCode(code);
    return council;
  }

  @Query(() => CouncilConnection, {
    description:
      "Councils, current and former, sorted by short name then GSS code; `search` matches names and codes.",
  })
  async councils(
    @Ctx() { em }: Context,
    @Arg("search", () => String, {
      nullable: true,
      description:
        "Part of a name (official, short or alternative) or a code, any case.",
    })
    search?: string | null,
    @Arg("current", () => Boolean, {
      nullable: true,
      description: "True: only current councils; false: only former ones.",
    })
    current?: boolean | null,
    @Arg("first", () => Int, {
      nullable: true,
      description: "Page size: 0 to 100, default 20.",
    })
    first?: number | null,
    @Arg("after", () => String, {
      nullable: true,
      description: "Cursor of the item after which the page starts.",
    })
    after?: string | null,
  ): Promise<ConnectionShape<Council>> {
    const { offset, limit } = pageWindow(first, after);
    const where: FilterQuery<Council>[] = [];
    const text = search?.trim();
    if (text) {
      const pattern = `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
      where.push({
        $or: [
          { officialName: { $ilike: pattern } },
          { shortName: { $ilike: pattern } },
          { gssCode: { $ilike: pattern } },
          { registerCode: { $ilike: pattern } },
          {
            [raw(
              (alias: string) =>
                `array_to_string(${alias}.alternative_names, '|')`,
            )]: { $ilike: pattern },
          } as FilterQuery<Council>,
        ],
      });
    }
    if (current === true) where.push({ endDate: null });
    if (current === false) where.push({ endDate: { $ne: null } });
    const [items, total] = await em.findAndCount(
      Council,
      { $and: where },
      { orderBy: { shortName: "asc", gssCode: "asc" }, limit, offset },
    );
    return toConnection(items, offset, total);
  }

  @FieldResolver(() => [Council], {
    description:
      "The councils that took over from this one (Congleton → Cheshire East).",
  })
  successors(
    @Root() council: Council,
    @Ctx() { loaders }: Context,
  ): Promise<Council[]> {
    return loaders.councilSuccessors.load(council.id);
  }

  @FieldResolver(() => [Council], {
    description:
      "The councils this one took over from (Cheshire East ← Congleton).",
  })
  predecessors(
    @Root() council: Council,
    @Ctx() { loaders }: Context,
  ): Promise<Council[]> {
    return loaders.councilPredecessors.load(council.id);
  }
}

import { Field, Int, ObjectType, type ClassType } from "type-graphql";
import { BadInputError } from "../../errors/hub-error.js";
import { base64urlSql } from "../../schema/global-id.js";

/** The most items one page may hold; larger `first` values are refused, not silently cut. */
export const MAX_PAGE_SIZE = 100;
/** The page size when `first` is not given. */
export const DEFAULT_PAGE_SIZE = 20;

/** Relay page information. */
@ObjectType({ description: "Where a page sits in the whole list (Relay)." })
export class PageInfo {
  @Field(() => Boolean, { description: "True when items follow this page." })
  hasNextPage!: boolean;

  @Field(() => Boolean, { description: "True when items precede this page." })
  hasPreviousPage!: boolean;

  @Field(() => String, {
    nullable: true,
    description: "Cursor of the first item of the page.",
  })
  startCursor!: string | null;

  @Field(() => String, {
    nullable: true,
    description:
      "Cursor of the last item; pass it as `after` for the next page.",
  })
  endCursor!: string | null;
}

/** A total count, or a function that counts only when a client asks for `totalCount`. */
export type TotalCount = number | (() => Promise<number>);

/** The shape every connection has, whatever its node type. */
export interface ConnectionShape<T> {
  edges: { node: T; cursor: string }[];
  pageInfo: PageInfo;
  totalCount: TotalCount;
}

/** Makes the `XConnection` and `XEdge` GraphQL types for a node type. */
export function Connection<T extends object>(node: ClassType<T>, name: string) {
  @ObjectType(`${name}Edge`, {
    description: `One ${name} in a list, with its cursor.`,
  })
  class Edge {
    @Field(() => node, { description: `The ${name}.` })
    node!: T;

    @Field(() => String, { description: "Opaque cursor of this item." })
    cursor!: string;
  }

  @ObjectType({ description: `A page of ${name} items (Relay connection).` })
  abstract class ConnectionType implements ConnectionShape<T> {
    @Field(() => [Edge], {
      description: "The items of this page, in the list's stable order.",
    })
    edges!: Edge[];

    @Field(() => PageInfo, {
      description: "Where this page sits in the whole list.",
    })
    pageInfo!: PageInfo;

    totalCount!: TotalCount;

    // Counting a long list costs a statement of its own: only done when asked for.
    @Field(() => Int, {
      name: "totalCount",
      description: "How many items the whole list holds, across all pages.",
    })
    countAll(): number | Promise<number> {
      return typeof this.totalCount === "function"
        ? this.totalCount()
        : this.totalCount;
    }
  }
  return ConnectionType;
}

const CURSOR_PREFIX = "offset:";

/** Reads `first` and `after` into an offset and a limit, refusing bad values with BAD_USER_INPUT. */
export function pageWindow(
  first: number | null | undefined,
  after: string | null | undefined,
) {
  const limit = first ?? DEFAULT_PAGE_SIZE;
  if (!Number.isInteger(limit) || limit < 0 || limit > MAX_PAGE_SIZE) {
    throw new BadInputError(
      `"first" must be between 0 and ${MAX_PAGE_SIZE}; it was ${limit}.`,
      { first: limit },
    );
  }
  let offset = 0;
  if (after) {
    const decoded = Buffer.from(after, "base64url").toString("utf8");
    const value = Number(decoded.slice(CURSOR_PREFIX.length));
    if (
      !decoded.startsWith(CURSOR_PREFIX) ||
      !Number.isInteger(value) ||
      value < 0
    ) {
      throw new BadInputError(`"after" is not a cursor this list gave out.`, {
        after,
      });
    }
    offset = value + 1;
  }
  return { offset, limit };
}

/** The cursor of the item at `position` (0-based) of an offset-paged list. */
export function offsetCursor(position: number): string {
  return Buffer.from(`${CURSOR_PREFIX}${position}`).toString("base64url");
}

/** SQL for offsetCursor(position), `positionSql` being an integer expression: the same text, made by PostgreSQL. */
export function offsetCursorSql(positionSql: string): string {
  return base64urlSql(`'${CURSOR_PREFIX}' || ${positionSql}`);
}

/**
 * Builds a connection from the rows fetched at `offset` with one row more than `limit` (that extra
 * row only says a next page exists), and a total counted when asked for.
 */
export function offsetConnection<T>(
  rows: T[],
  offset: number,
  limit: number,
  totalCount: TotalCount,
): ConnectionShape<T> {
  const items = rows.slice(0, limit);
  const edges = items.map((node, i) => new OffsetEdge(node, offset + i));
  return {
    edges,
    totalCount,
    pageInfo: {
      hasNextPage: rows.length > limit,
      hasPreviousPage: offset > 0,
      get startCursor() {
        return edges[0]?.cursor ?? null;
      },
      get endCursor() {
        return edges.at(-1)?.cursor ?? null;
      },
    },
  };
}

/** An edge of an offset-paged list; its cursor is made only when a client asks for it (nested lists rarely do). */
class OffsetEdge<T> {
  constructor(
    readonly node: T,
    private readonly position: number,
  ) {}

  get cursor(): string {
    return offsetCursor(this.position);
  }
}

/** Builds a connection from one page of items fetched at `offset`, plus the total count. */
export function toConnection<T>(
  items: T[],
  offset: number,
  totalCount: number,
): ConnectionShape<T> {
  const edges = items.map((node, i) => ({
    node,
    cursor: offsetCursor(offset + i),
  }));
  return {
    edges,
    totalCount,
    pageInfo: {
      hasNextPage: offset + items.length < totalCount,
      hasPreviousPage: offset > 0,
      startCursor: edges[0]?.cursor ?? null,
      endCursor: edges.at(-1)?.cursor ?? null,
    },
  };
}

import type DataLoader from "dataloader";
import type { ChildPage } from "../loading/child-pages.js";
import {
  offsetConnection,
  pageWindow,
  type ConnectionShape,
} from "../pagination/connection.js";
import type { PageArgs } from "./arguments.js";

/**
 * A parent's page of children as a connection: the page window from `first`/`after`, then the
 * request's batched loader for that window (one statement for every parent on the level).
 */
export async function childPage<T>(
  loader: (window: {
    offset: number;
    limit: number;
  }) => DataLoader<number, ChildPage<T>>,
  parentId: number,
  { first, after }: PageArgs,
): Promise<ConnectionShape<T>> {
  const { offset, limit } = pageWindow(first, after);
  const page = await loader({ offset, limit }).load(parentId);
  return offsetConnection(page.items, offset, limit, page.total);
}

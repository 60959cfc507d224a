import type { ChildPage } from "../loading/child-pages.js";
import type { PrimedLoader } from "../loading/primed-loader.js";
import {
  offsetConnection,
  pageWindow,
  type ConnectionShape,
} from "../pagination/connection.js";
import type { PageArgs } from "./arguments.js";

/**
 * A parent's page of children as a connection: the page window from `first`/`after`, then the
 * request's batched loader for that window (one statement for every parent on the level). A page
 * its root's statement read already (primed) is answered at once, without a promise.
 */
export function childPage<T>(
  loader: (window: {
    offset: number;
    limit: number;
  }) => PrimedLoader<number, ChildPage<T>>,
  parentId: number,
  { first, after }: PageArgs,
): ConnectionShape<T> | Promise<ConnectionShape<T>> {
  const { offset, limit } = pageWindow(first, after);
  const pages = loader({ offset, limit });
  const connection = (page: ChildPage<T>) =>
    offsetConnection(page.items, offset, limit, page.total);
  const primed = pages.primed(parentId);
  return primed ? connection(primed) : pages.load(parentId).then(connection);
}

import type { GraphQLResolveInfo } from "graphql";
import { Field, ID, Info, InterfaceType } from "type-graphql";
import { toGlobalId } from "./global-id.js";

/**
 * The Relay Node interface: every object with an identity has an opaque global id, and
 * `node(id:)` fetches any of them. The id is worked out from the GraphQL type and the database id.
 */
@InterfaceType({
  description:
    "An object with an opaque global id; `node(id:)` fetches any object by it.",
})
export abstract class Node {
  /** The database id, which every implementing entity has. */
  id!: number;

  @Field(() => ID, {
    name: "id",
    description:
      'Opaque global id (base64url of "Type:id"): stable, unique across types; pass it to `node(id:)` or to the root field of its type.',
  })
  // buildHubSchema resolves this field straight from `id` (type-graphql would first copy the object).
  globalId(@Info() info: GraphQLResolveInfo): string {
    return toGlobalId(info.parentType.name, this.id);
  }
}

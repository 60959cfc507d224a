import { ReferenceKind, type EntityClass } from "@mikro-orm/core";
import type { EntityManager, MetadataStorage } from "@mikro-orm/postgresql";
import {
  getNamedType,
  GraphQLBoolean,
  GraphQLID,
  GraphQLInt,
  GraphQLString,
  isEnumType,
  isNonNullType,
  isObjectType,
  type GraphQLField,
  type GraphQLNamedType,
  type GraphQLObjectType,
  type GraphQLSchema,
} from "graphql";
import { getMetadataStorage } from "type-graphql";
import { Council } from "../../schema/council.js";
import { GovernanceBody } from "../../schema/governance-body.js";
import { Partnership } from "../../schema/partnership.js";
import { Service } from "../../schema/service.js";
import type { ChildQuery, ParentIds } from "../loading/child-pages.js";
import type { LinkQuery } from "../loading/joined-link.js";
import { partnershipsListQuery } from "../loading/partnership-queries.js";
import {
  partnershipServicesQuery,
  SERVICE_GOVERNING_BODY,
  SERVICE_HOST_COUNCIL,
  SERVICE_PARTNERSHIP,
  type ServiceJoins,
} from "../loading/service-queries.js";
import type { ListQuery } from "../pagination/offset-list.js";
import { councilIdByCode } from "../resolvers/arguments.js";
import type { PartnershipStatus } from "../../schema/partnership.js";

/** A field PostgreSQL answers: what it means, for the planner to render. */
export type SqlField =
  /**
   * A scalar or enum column: `json` is SQL for its value's JSON text (never SQL null: `null`
   * where the column is), as JSON.stringify writes the GraphQL value, over the row aliased `alias`.
   */
  | { kind: "column"; column: string; json: (alias: string) => string }
  /** The Node `id` (toGlobalId of the type's name and the row's id). */
  | { kind: "nodeId" }
  /** A link to one row of `type` (null where there is none, for a nullable field). */
  | { kind: "link"; type: string; link: LinkQuery }
  /** A connection of `type` under each row: its child list, paged by `first`/`after`. */
  | {
      kind: "childList";
      type: string;
      query: (em: EntityManager, parents: ParentIds) => ChildQuery;
    }
  /** A root connection of `type`: its list for the field's arguments, paged by `first`/`after`. */
  | {
      kind: "rootList";
      type: string;
      list: (
        em: EntityManager,
        args: Record<string, unknown>,
      ) => Promise<ListQuery>;
    };

/** The fields of one GraphQL type PostgreSQL answers, by field name. */
export type SqlType = ReadonlyMap<string, SqlField>;

/** What is declared for an entity's type: its plain-data columns (by property), its links and its child lists. */
interface PlainDataType {
  entity: EntityClass<object>;
  /** Fields read straight from the entity's column of the same property: String, Int, Boolean or an enum. */
  columns: readonly string[];
  links?: Readonly<Record<string, { type: string; link: LinkQuery }>>;
  lists?: Readonly<
    Record<
      string,
      {
        type: string;
        query: (em: EntityManager, parents: ParentIds) => ChildQuery;
      }
    >
  >;
}

// A page of services read for its answer carries no joined links: the planner reads each link
// itself, by the same LinkQuery the query module joins it by.
const NO_JOINS: ServiceJoins = {
  columns: null,
  hostCouncil: false,
  governingBody: false,
};
const NO_TARGETS = { council() {}, governanceBody() {} };

/**
 * The fields whose meaning is plain data, declared type by type (never guessed from names): the
 * columns, links and child lists PostgreSQL can render exactly as the resolvers answer them, and
 * nothing under savings, reconciliation, imports or administration, nothing `@Authorized`,
 * nothing whose resolver applies the caller's access scope. Every type also answers `__typename`
 * and its Node `id`. A field not listed here makes the planner decline the whole operation.
 */
const PLAIN_DATA: Readonly<Record<string, PlainDataType>> = {
  Partnership: {
    entity: Partnership,
    columns: ["name", "description", "status"],
    lists: {
      services: {
        type: "Service",
        query: (em, parents) =>
          partnershipServicesQuery(em, parents, NO_JOINS, NO_TARGETS),
      },
    },
  },
  Service: {
    entity: Service,
    columns: ["name", "category", "status", "statusText", "hostRole", "notes"],
    links: {
      hostCouncil: { type: "Council", link: SERVICE_HOST_COUNCIL },
      governingBody: { type: "GovernanceBody", link: SERVICE_GOVERNING_BODY },
      partnership: { type: "Partnership", link: SERVICE_PARTNERSHIP },
    },
  },
  Council: {
    entity: Council,
    columns: ["gssCode", "registerCode", "officialName", "shortName", "type"],
  },
  GovernanceBody: {
    entity: GovernanceBody,
    columns: ["name", "kind", "chair", "notes"],
  },
};

/** The root lists PostgreSQL answers, by Query field: each with the query module's list for its arguments. */
const ROOT_LISTS: Readonly<
  Record<string, Extract<SqlField, { kind: "rootList" }>>
> = {
  partnerships: {
    kind: "rootList",
    type: "Partnership",
    list: async (em, args) =>
      partnershipsListQuery({
        councilId:
          args.council != null
            ? await councilIdByCode(em, args.council as string)
            : null,
        status: args.status as PartnershipStatus | null | undefined,
        search: args.search as string | null | undefined,
      }),
  },
};

const PLAIN_SCALARS = new Set<unknown>([
  GraphQLString,
  GraphQLInt,
  GraphQLBoolean,
]);

const built = new WeakMap<GraphQLSchema, ReadonlyMap<string, SqlType>>();

/**
 * The registry checked against the schema and the ORM's metadata, by GraphQL type name (`Query`
 * for the root lists): each declared column field must exist, have no resolver (the property is
 * its value), be a String, Int, Boolean or enum (each enum value rendered as its GraphQL name, from
 * the schema's GraphQLEnumType) and, when non-null, come from a NOT NULL column; each link and
 * list must be a field of the declared type (or its connection) with no `@Authorized`. Throws on a
 * declaration that breaks one of these: a wrong answer would otherwise be served.
 */
export function sqlFields(
  schema: GraphQLSchema,
  metadata: MetadataStorage,
): ReadonlyMap<string, SqlType> {
  let types = built.get(schema);
  if (types) return types;
  const map = new Map<string, SqlType>();
  const authorized = getMetadataStorage().authorizedFields;
  const objectType = (name: string): GraphQLObjectType => {
    const type = schema.getType(name);
    if (!isObjectType(type))
      throw new Error(`sqlFields: no object type ${name}`);
    return type;
  };
  const field = (
    type: GraphQLObjectType,
    name: string,
  ): GraphQLField<unknown, unknown> => {
    const found = type.getFields()[name];
    if (!found) throw new Error(`sqlFields: ${type.name} has no field ${name}`);
    const entity = PLAIN_DATA[type.name]?.entity;
    const resolver = getMetadataStorage().fieldResolvers.find(
      (r) => r.schemaName === name && entity && r.getObjectType?.() === entity,
    );
    if (
      resolver?.roles !== undefined ||
      authorized.some(
        (a) => a.fieldName === name && objectTypeNameOf(a.target) === type.name,
      )
    )
      throw new Error(`sqlFields: ${type.name}.${name} is @Authorized`);
    return found;
  };
  const connectionOf = (
    type: string,
    owner: GraphQLObjectType,
    name: string,
  ) => {
    const connection = getNamedType(field(owner, name).type);
    if (connection.name !== `${type}Connection`)
      throw new Error(
        `sqlFields: ${owner.name}.${name} is no ${type}Connection`,
      );
  };
  for (const [typeName, declared] of Object.entries(PLAIN_DATA)) {
    const type = objectType(typeName);
    const fields = new Map<string, SqlField>();
    const props = metadata.get(declared.entity).properties as Record<
      string,
      {
        kind: ReferenceKind;
        fieldNames?: string[];
        nullable?: boolean;
        persist?: boolean;
      }
    >;
    if (type.getInterfaces().some((i) => i.name === "Node"))
      fields.set("id", { kind: "nodeId" });
    for (const name of declared.columns) {
      const definition = field(type, name);
      const prop = props[name];
      const column = prop?.fieldNames?.[0];
      if (
        !prop ||
        !column ||
        prop.kind !== ReferenceKind.SCALAR ||
        prop.persist === false
      )
        throw new Error(`sqlFields: ${typeName}.${name} is not a column`);
      if (definition.resolve !== undefined)
        throw new Error(`sqlFields: ${typeName}.${name} has a resolver`);
      if (isNonNullType(definition.type) && prop.nullable)
        throw new Error(
          `sqlFields: ${typeName}.${name} is non-null from a nullable column`,
        );
      const named = getNamedType(definition.type);
      if (
        named === GraphQLID ||
        (!PLAIN_SCALARS.has(named) && !isEnumType(named))
      )
        throw new Error(
          `sqlFields: ${typeName}.${name} is no plain scalar or enum`,
        );
      fields.set(name, {
        kind: "column",
        column,
        json: columnJson(named, column),
      });
    }
    for (const [name, { type: target, link }] of Object.entries(
      declared.links ?? {},
    )) {
      const definition = field(type, name);
      if (getNamedType(definition.type).name !== target)
        throw new Error(`sqlFields: ${typeName}.${name} is no ${target}`);
      const prop = Object.values(props).find(
        (p) => p.fieldNames?.[0] === link.foreignKey,
      );
      if (!prop || prop.kind !== ReferenceKind.MANY_TO_ONE)
        throw new Error(
          `sqlFields: ${typeName}.${name}: ${link.foreignKey} is no link`,
        );
      if (isNonNullType(definition.type) && prop.nullable)
        throw new Error(
          `sqlFields: ${typeName}.${name} is non-null from a nullable key`,
        );
      fields.set(name, { kind: "link", type: target, link });
    }
    for (const [name, list] of Object.entries(declared.lists ?? {})) {
      connectionOf(list.type, type, name);
      fields.set(name, { kind: "childList", ...list });
    }
    map.set(typeName, fields);
  }
  const query = objectType("Query");
  const roots = new Map<string, SqlField>();
  for (const [name, list] of Object.entries(ROOT_LISTS)) {
    connectionOf(list.type, query, name);
    roots.set(name, list);
  }
  map.set("Query", roots);
  types = map;
  built.set(schema, types);
  return types;
}

/**
 * SQL for the JSON text of a column's GraphQL value, as JSON.stringify writes it: a string through
 * PostgreSQL's to_json (the same escapes: \", \\, \b \f \n \r \t, \u00xx below a space, nothing
 * else), an Int as its digits, a Boolean as true or false, an enum value as its GraphQL name (from
 * the schema's GraphQLEnumType; a name needs no escapes); `null` for SQL null.
 */
function columnJson(
  type: GraphQLNamedType,
  column: string,
): (alias: string) => string {
  if (isEnumType(type)) {
    const values = type.getValues();
    // Stored as its GraphQL name where they agree (every enum of the hub so far).
    const name = values.every((value) => value.value === value.name)
      ? (alias: string) => `${alias}.${column}`
      : (alias: string) =>
          `case ${alias}.${column} ${values
            .map(
              (value) =>
                `when ${sqlText(String(value.value))} then ${sqlText(value.name)}`,
            )
            .join(" ")} end`;
    return (alias) => `coalesce('"' || ${name(alias)} || '"', 'null')`;
  }
  if (type === GraphQLString)
    return (alias) => `coalesce(to_json(${alias}.${column})::text, 'null')`;
  if (type === GraphQLInt)
    return (alias) => `coalesce(${alias}.${column}::int::text, 'null')`;
  return (alias) =>
    `case when ${alias}.${column} then 'true' when not ${alias}.${column} then 'false' else 'null' end`;
}

function objectTypeNameOf(target: unknown): string | undefined {
  return getMetadataStorage().objectTypes.find((meta) => meta.target === target)
    ?.name;
}

/** A SQL string literal of `text`. */
function sqlText(text: string): string {
  return `'${text.replace(/'/g, "''")}'`;
}

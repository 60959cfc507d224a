import type { EntityClass } from "@mikro-orm/core";
import {
  execute,
  getNamedType,
  isCompositeType,
  isNonNullType,
  isObjectType,
  parse,
  type FieldNode,
  type GraphQLSchema,
  type OperationDefinitionNode,
} from "graphql";
import { getMetadataStorage } from "type-graphql";
import { beforeAll, expect, it } from "vitest";
import { Council } from "../../../schema/council.js";
import { toGlobalId } from "../../../schema/global-id.js";
import { Membership } from "../../../schema/membership.js";
import { Partnership } from "../../../schema/partnership.js";
import { Service } from "../../../schema/service.js";
import { buildHubSchema } from "../../../server/build-schema.js";
import { operatorCaller } from "../../../server/caller.js";
import { createContext } from "../../../server/context.js";
import {
  selectedColumns,
  type Columns,
} from "../../../server/loading/selected-columns.js";
import {
  mapEntity,
  runSql,
  type Row,
} from "../../../server/loading/sql-rows.js";
import { useTestDatabase } from "../../support/test-database.js";
import { createTestGraphql } from "../../support/graphql.js";
import { seedHub } from "../seed-hub.js";

const db = useTestDatabase();
let schema: GraphQLSchema;

beforeAll(async () => {
  await seedHub(db.orm.em.fork());
  schema = await buildHubSchema();
});

/** The types whose rows are folded to their selection's columns (selectedColumns' callers). */
const FOLDED: EntityClass<object>[] = [
  Council,
  Partnership,
  Service,
  Membership,
];

/** A value, as GraphQL text, for a field's required arguments of each type. */
const REQUIRED_ARGUMENT_VALUES: Record<string, string> = {
  FinancialYear: '"2014/15"',
};

/**
 * The properties of `entity` read from `object` (a row folded to some columns) while one field of
 * it is resolved through the schema: `node(id:)` is made to answer with `object` behind a proxy
 * that records every property read, getters included (they run on the proxy).
 */
async function propertiesReadResolving(
  entity: EntityClass<object>,
  document: string,
  object: object,
): Promise<Set<string>> {
  const read = new Set<string>();
  const watched = new Proxy(object, {
    get(target, property, receiver) {
      if (typeof property === "string") read.add(property);
      return Reflect.get(target, property, receiver) as unknown;
    },
  });
  const node = schema.getQueryType()!.getFields().node!;
  const resolveNode = node.resolve;
  node.resolve = () => watched;
  try {
    const result = await execute({
      schema,
      document: parse(document),
      contextValue: await createContext(
        db.orm.em,
        // An admin: every field answers (the finance ones too).
        operatorCaller(),
        `selected-columns ${entity.name}`,
      ),
    });
    // A field that fails for another reason (a required argument, say) would read nothing.
    expect(result.errors?.map((error) => error.message) ?? []).toEqual([]);
  } finally {
    node.resolve = resolveNode;
  }
  return read;
}

/**
 * Resolves `entity`'s `field` alone (`{ id field }`) on `row` folded to the columns selectedColumns
 * gives that selection: those columns, and the column properties the resolver read beyond them.
 */
async function columnsReadBeyondSelection(
  entity: EntityClass<object>,
  field: string,
  row: Row,
): Promise<{ columns: Columns; beyond: string[] }> {
  const em = db.orm.em.fork();
  const type = schema.getType(entity.name);
  if (!isObjectType(type)) throw new Error(`${entity.name}: no object type`);
  const definition = type.getFields()[field]!;
  const required = definition.args.filter(
    (arg) => isNonNullType(arg.type) && arg.defaultValue === undefined,
  );
  const unknown = required.filter(
    (arg) => !(getNamedType(arg.type).name in REQUIRED_ARGUMENT_VALUES),
  );
  expect(
    unknown.map((arg) => arg.name),
    `${entity.name}.${field}: give REQUIRED_ARGUMENT_VALUES a value of these arguments' types`,
  ).toEqual([]);
  const args = required.length
    ? `(${required.map((arg) => `${arg.name}: ${REQUIRED_ARGUMENT_VALUES[getNamedType(arg.type).name]}`).join(", ")})`
    : "";
  const sub = isCompositeType(getNamedType(definition.type))
    ? " { __typename }"
    : "";
  const document = `{ node(id: "${toGlobalId(entity.name, row.id as number)}") { ... on ${entity.name} { id ${field}${args}${sub} } } }`;
  const operation = parse(document).definitions[0] as OperationDefinitionNode;
  const columns = selectedColumns(em, entity, {
    nodes: [operation.selectionSet.selections[0] as FieldNode],
    fragments: {},
  });
  // Whole rows (a getter's selection) carry every column.
  if (columns === null) return { columns, beyond: [] };
  const columnOf = new Map<string, string>(
    em
      .getMetadata()
      .get(entity)
      .props.filter((prop) => prop.fieldNames?.[0] && prop.persist !== false)
      .map((prop) => [prop.name as string, prop.fieldNames[0]!]),
  );
  const read = await propertiesReadResolving(
    entity,
    document,
    mapEntity(em, entity, row, columns),
  );
  const beyond = [...read].filter((property) => {
    const column = columnOf.get(property);
    return column !== undefined && !columns.includes(column);
  });
  return { columns, beyond };
}

const firstRow = async (entity: EntityClass<object>): Promise<Row> => {
  const em = db.orm.em.fork();
  const [row] = await runSql(
    em,
    `select * from ${em.getMetadata().get(entity).tableName} order by id limit 1`,
  );
  if (!row) throw new Error(`no ${entity.name} row to resolve on`);
  return row;
};

/**
 * selectedColumns folds a row to the id, the selected links' foreign keys and the selected plain
 * fields' columns, on the word of every field resolver of these types that it reads only the id
 * (a link's, only its own key): a resolver reading another column would get undefined from a
 * folded row, silently. Each field resolver of each type is run alone on a row folded for it.
 */
it("runs every field resolver of the folded types on a row of only the columns selectedColumns gives its selection, reading no other column", async () => {
  let checked = 0;
  for (const entity of FOLDED) {
    const row = await firstRow(entity);
    const fields = getMetadataStorage().fieldResolvers.filter(
      (resolver) => resolver.getObjectType?.() === entity,
    );
    expect(fields.length, `${entity.name}'s field resolvers`).toBeGreaterThan(
      0,
    );
    for (const { schemaName: field, kind } of fields) {
      const { columns, beyond } = await columnsReadBeyondSelection(
        entity,
        field,
        row,
      );
      // The entity's own getters and methods ("internal") may read any column: whole rows.
      if (kind === "internal")
        expect(columns, `${entity.name}.${field}`).toBeNull();
      expect(
        beyond,
        `${entity.name}.${field} reads columns a row folded for { id ${field} } (${columns?.join(", ")}) does not carry`,
      ).toEqual([]);
      checked++;
    }
  }
  // Every type's links and lists were run.
  expect(checked).toBeGreaterThan(15);
});

it("names the column a field resolver reads that its selection's row does not carry", async () => {
  // Service.partnership made to read the service's name as well: a resolver written that way.
  const type = schema.getType("Service");
  if (!isObjectType(type)) throw new Error("Service: no object type");
  const field = type.getFields().partnership!;
  const resolve = field.resolve!;
  field.resolve = (service: Service, ...rest) => {
    void service.name;
    return resolve(service, ...rest);
  };
  try {
    const { columns, beyond } = await columnsReadBeyondSelection(
      Service,
      "partnership",
      await firstRow(Service),
    );
    expect(columns).toEqual(["id", "partnership_id"]);
    expect(beyond).toEqual(["name"]);
  } finally {
    field.resolve = resolve;
  }
});

it("reads a getter field (Council.current) from whole rows: a former council hosting a service is not current in a folded page", async () => {
  // Congleton (E07000014) ended in 2009; it hosts one service here.
  const em = db.orm.em.fork();
  await em.execute(
    `update service set host_council_id = (select id from council where gss_code = 'E07000014')
     where id = (select min(id) from service)`,
  );
  const gql = await createTestGraphql(db.orm);
  const result = await gql.run<{
    partnerships: {
      edges: {
        node: {
          services: {
            edges: {
              node: {
                hostCouncil: { gssCode: string; current: boolean } | null;
              };
            }[];
          };
        };
      }[];
    };
  }>(
    `{ partnerships(first: 10) { edges { node { services(first: 10) { edges { node { hostCouncil { gssCode current } } } } } } } }`,
  );
  expect(result.errors).toBeUndefined();
  const hosts = result.data!.partnerships.edges.flatMap(({ node }) =>
    node.services.edges.map(({ node: service }) => service.hostCouncil),
  );
  expect(hosts).toContainEqual({ gssCode: "E07000014", current: false });
  expect(hosts.filter((host) => host?.current).length).toBeGreaterThan(0);
});

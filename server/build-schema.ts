import { buildSchema, getMetadataStorage } from "type-graphql";
import {
  isObjectType,
  type GraphQLField,
  type GraphQLFieldResolver,
  type GraphQLResolveInfo,
  type GraphQLSchema,
} from "graphql";
import { toGlobalId } from "../schema/global-id.js";
import type { Node } from "../schema/node.js";
import { authChecker } from "./auth/auth-checker.js";
import { AdminResolver } from "./resolvers/admin-resolver.js";
import { CouncilResolver } from "./resolvers/council-resolver.js";
import { CouncilSavingsResolver } from "./resolvers/council-savings-resolver.js";
import { FundingAwardResolver } from "./resolvers/funding-award-resolver.js";
import { GovernanceBodyResolver } from "./resolvers/governance-body-resolver.js";
import { GovernanceSeatResolver } from "./resolvers/governance-seat-resolver.js";
import { ImportCalendarResolver } from "./resolvers/import-calendar-resolver.js";
import { ImportJobResolver } from "./resolvers/import-job-resolver.js";
import { ImportProfileResolver } from "./resolvers/import-profile-resolver.js";
import { ImportResolver } from "./resolvers/import-resolver.js";
import { ImportRunFiguresResolver } from "./resolvers/import-run-figures-resolver.js";
import { MembershipResolver } from "./resolvers/membership-resolver.js";
import { NodeResolver } from "./resolvers/node-resolver.js";
import { PartnershipResolver } from "./resolvers/partnership-resolver.js";
import { ReconciliationResolver } from "./resolvers/reconciliation-resolver.js";
import { SavingsFigureResolver } from "./resolvers/savings-figure-resolver.js";
import { ServiceResolver } from "./resolvers/service-resolver.js";
import { ViewerResolver } from "./resolvers/viewer-resolver.js";

/** Every resolver class of the API: one per line, so that adding one is a one-line change. */
export const resolvers = [
  AdminResolver,
  CouncilResolver,
  CouncilSavingsResolver,
  FundingAwardResolver,
  GovernanceBodyResolver,
  GovernanceSeatResolver,
  ImportJobResolver,
  ImportProfileResolver,
  ImportResolver,
  ImportCalendarResolver,
  ImportRunFiguresResolver,
  MembershipResolver,
  NodeResolver,
  PartnershipResolver,
  ReconciliationResolver,
  SavingsFigureResolver,
  ServiceResolver,
  ViewerResolver,
] as const;

/** Builds the executable GraphQL schema from the type-graphql classes (the one source of truth). */
export async function buildHubSchema(): Promise<GraphQLSchema> {
  const schema = await buildSchema({
    resolvers,
    validate: false,
    authChecker,
    container: { get: resolverInstance },
  });
  resolveFieldsDirectly(schema);
  resolveNodeIdsDirectly(schema);
  return schema;
}

// The one instance of each resolver class, for type-graphql (its container) and the direct calls
// below alike. The classes take no constructor arguments, as type-graphql's default container needs.
const resolverInstances = new Map<unknown, object>();
function resolverInstance(target: unknown): object {
  let instance = resolverInstances.get(target);
  if (!instance) {
    instance = new (target as Class)();
    resolverInstances.set(target, instance);
  }
  return instance;
}

type Resolve = GraphQLFieldResolver<unknown, unknown>;
type Class = new () => object;

/**
 * Fields resolved without type-graphql's per-call wrapper, which builds a resolver-data object, an
 * empty middleware chain and (for a field resolver) its parameters anew on every call, sorting the
 * parameter list each time; for a field of every row of a list that was most of a small request's
 * garbage. Only fields with no `@Authorized` and no middleware, on their own class or inherited
 * (a connection's `edges`, an entity's `sourceSheet`):
 * - a field that only reads its object's property gets no resolver, so the executor reads the
 *   property itself (graphql-jit inlines only fields without one);
 * - a field resolver whose parameters are only `@Root()`, `@Ctx()`, `@Info()` and arguments of
 *   plain values (`@Arg` of a scalar or enum, `@Args` of a class whose fields all are: no input
 *   types to convert, no validation) is called straight (directCall). type-graphql's wrapper also
 *   made every resolver with arguments asynchronous (its argument validation is async even when
 *   off), so a page of children read in its root's statement could not be answered at once.
 */
function resolveFieldsDirectly(schema: GraphQLSchema): void {
  const storage = getMetadataStorage();
  const typesByClass = new Map(
    storage.objectTypes.map((meta) => [meta.target, meta]),
  );
  // Where type-graphql finds a field's metadata: the class's own fields, then its interfaces'.
  const fieldsOf = (
    meta: (typeof storage.objectTypes)[number],
  ): FieldLike[] => [
    ...(meta.fields ?? []),
    ...storage.interfaceTypes
      .filter((it) => meta.interfaceClasses?.includes(it.target))
      .flatMap((it) => it.fields ?? []),
  ];
  for (const meta of storage.objectTypes) {
    const type = schema.getType(meta.name);
    if (!isObjectType(type)) continue;
    // Then the classes it extends, nearest first.
    const declared = fieldsOf(meta);
    for (
      let parent = Object.getPrototypeOf(meta.target) as Class | null;
      parent?.prototype !== undefined;
      parent = Object.getPrototypeOf(parent) as Class | null
    ) {
      const parentMeta = typesByClass.get(parent!);
      if (parentMeta) declared.push(...fieldsOf(parentMeta));
    }
    for (const [name, schemaField] of Object.entries(type.getFields())) {
      if (!schemaField.resolve) continue;
      const field = declared.find((f) => f.schemaName === name);
      if (!field || field.roles !== undefined || field.middlewares?.length)
        continue;
      const resolver = storage.fieldResolvers.find(
        (r) =>
          r.getObjectType?.() === field.target && r.methodName === field.name,
      );
      if (!resolver) {
        const property = field.name;
        schemaField.resolve =
          property === name
            ? undefined
            : (source: Record<string, unknown>) => source[property];
        continue;
      }
      const direct = directCall(resolver, schemaField.resolve);
      if (direct) schemaField.resolve = direct;
      const value = valueOfItsRoot(resolver);
      if (value)
        readAsProperty(
          schemaField,
          `__sshub${type.name}_${name}`,
          value.rootClass,
          value.read,
        );
    }
  }
}

/**
 * A field resolver's value as a function of its root alone, where it takes nothing but `@Root()`
 * and is declared to return a value (not a promise, not a union): `SavingsFigure.amount` (a Money
 * of the amount). Null for any other.
 */
function valueOfItsRoot(
  resolver: FieldResolverMeta,
): { rootClass: Class; read: (root: object) => unknown } | null {
  if (
    resolver.kind !== "external" ||
    resolver.roles !== undefined ||
    resolver.middlewares?.length
  )
    return null;
  const [param, ...more] = resolver.params ?? [];
  if (!param || more.length || param.kind !== "root") return null;
  const rootClass = param.propertyName === undefined && param.getType?.();
  if (typeof rootClass !== "function") return null;
  const instance = resolverInstance(resolver.target) as Record<
    string,
    (root: object) => unknown
  >;
  const method = resolver.methodName;
  const returns: unknown = Reflect.getMetadata(
    "design:returntype",
    instance,
    method,
  );
  if (
    typeof returns !== "function" ||
    returns === Promise ||
    returns === Object
  )
    return null;
  return {
    rootClass: rootClass as Class,
    read: (root) => instance[method]!(root),
  };
}

/**
 * The extension of a field that compiledExecution compiles as a read of a property of its objects
 * (the extension's value, a getter on their class) instead of a call of its resolver: graphql-jit
 * inlines a field without a resolver as a property read, where a resolver call costs a resolve
 * info, a response path of one object per level, three closures and an error check (for a page's
 * fifty figures, a fifth of its garbage). The resolver stays, for graphql-js.
 */
export const PROPERTY_READ = "sshubPropertyRead";

/** Makes `field` readable from `property`, a getter of `read` on `target`'s objects (see PROPERTY_READ). */
function readAsProperty(
  field: GraphQLField<unknown, unknown>,
  property: string,
  target: Class,
  read: (object: never) => unknown,
): void {
  Object.defineProperty(target.prototype, property, {
    configurable: true,
    // A resolver's failure is the field's error, as a resolver's is: graphql-jit reports an Error
    // read as a field's value as that field's error (thrown, it would fail the whole answer).
    get(this: never) {
      try {
        return read(this);
      } catch (error) {
        return error instanceof Error ? error : new Error(String(error));
      }
    },
  });
  field.extensions = { ...field.extensions, [PROPERTY_READ]: property };
}

type FieldLike = {
  schemaName: string;
  name: string;
  target: unknown;
  roles?: unknown[];
  middlewares?: unknown[];
};
type FieldResolverMeta = ReturnType<
  typeof getMetadataStorage
>["fieldResolvers"][number];

/**
 * The direct call of a field resolver (see resolveFieldsDirectly), or null where its parameters
 * need type-graphql. The root is passed as type-graphql would pass it: its conversion of the root
 * returns an object that is an instance of the declared class unchanged, so the direct call is
 * taken only for such a root; any other goes through type-graphql's own resolver.
 */
function directCall(
  resolver: FieldResolverMeta,
  typeGraphqls: Resolve,
): Resolve | null {
  if (resolver.roles !== undefined || resolver.middlewares?.length) return null;
  const params = [...(resolver.params ?? [])].sort((a, b) => a.index - b.index);
  let rootClass: Class | undefined;
  const readers: ParamReader[] = [];
  for (const param of params) {
    if (param.kind === "args" || param.kind === "arg") {
      const read = plainArguments(param);
      if (!read) return null;
      readers.push((_r, _c, _i, args) => read(args));
      continue;
    }
    if (param.kind === "root" && param.propertyName === undefined) {
      const declared = param.getType?.();
      if (typeof declared !== "function") return null;
      rootClass = declared as Class;
      readers.push((root) => root);
    } else if (param.kind === "context") {
      const property = param.propertyName;
      readers.push(
        property === undefined
          ? (_root, context) => context
          : (_root, context) => (context as Record<string, unknown>)[property],
      );
    } else if (param.kind === "info") readers.push((_r, _c, info) => info);
    else return null;
  }
  const method = resolver.methodName;
  const values = argumentList(readers);
  if (resolver.kind === "external") {
    const instance = resolverInstance(resolver.target) as Record<
      string,
      (...values: unknown[]) => unknown
    >;
    const declaredRoot = rootClass;
    return (root, rawArgs, context, info) =>
      declaredRoot === undefined || root instanceof declaredRoot
        ? instance[method]!(...values(root, context, info, rawArgs))
        : typeGraphqls(root, rawArgs, context, info);
  }
  // A method or getter of the object's own class: type-graphql reads it from the root made an
  // instance of that class.
  const ownClass = resolver.target as Class;
  return (root, rawArgs, context, info) => {
    if (!(root instanceof ownClass))
      return typeGraphqls(root, rawArgs, context, info);
    const value = (root as Record<string, unknown>)[method];
    return typeof value === "function"
      ? (value as (...values: unknown[]) => unknown).apply(
          root,
          values(root, context, info, rawArgs),
        )
      : value;
  };
}

type ParamMeta = NonNullable<FieldResolverMeta["params"]>[number];
type Args = Record<string, unknown>;

/**
 * How type-graphql passes an `@Arg` or `@Args` parameter, for plain values only; null where it
 * converts or validates more (an input type, a validation setting of the parameter's own; the
 * schema is built with validation off). A plain `@Arg` is the argument's value; an `@Args` is an
 * instance of its class with the given arguments of its fields (inherited ones too) assigned, as
 * type-graphql's convertArgsToInstance and convertToType make it.
 */
function plainArguments(param: ParamMeta): ((args: Args) => unknown) | null {
  if (param.kind !== "args" && param.kind !== "arg") return null;
  if (param.validateSettings !== undefined || param.validateFn !== undefined)
    return null;
  const storage = getMetadataStorage();
  const isInput = (target: unknown) =>
    storage.inputTypes.some((input) => input.target === target);
  const declared = param.getType();
  if (param.kind === "arg") {
    if (isInput(declared)) return null;
    const name = param.name;
    return (args) => args[name];
  }
  const ArgsClass = declared as Class;
  const fields = [];
  for (
    let target = ArgsClass;
    target.prototype !== undefined;
    target = Object.getPrototypeOf(target) as Class
  )
    fields.push(
      ...(storage.argumentTypes.find((type) => type.target === target)
        ?.fields ?? []),
    );
  if (fields.length === 0 || fields.some((field) => isInput(field.getType())))
    return null;
  const names = fields.map((field) => field.name);
  return (args) => {
    const instance = new ArgsClass() as Args;
    for (const key of Object.keys(instance))
      if (instance[key] === undefined && !(key in args)) delete instance[key];
    for (const name of names)
      if (args[name] !== undefined) instance[name] = args[name];
    return instance;
  };
}

/** The property a Node object's global id can be read from, on every Node type's class (see PROPERTY_READ). */
export const NODE_ID_PROPERTY = "__sshubGlobalId";

/**
 * Every Node type's `id` is resolved straight from the object's database id. type-graphql resolves
 * an interface's field on a copy of the object made into an instance of the interface's class,
 * which for a list of a thousand objects was the largest single cost of the request. The type's
 * class gets the same id as a getter (NODE_ID_PROPERTY), which compiledExecution reads instead
 * (PROPERTY_READ); a type whose class type-graphql does not know keeps the resolver alone.
 */
function resolveNodeIdsDirectly(schema: GraphQLSchema): void {
  const classes = new Map(
    getMetadataStorage().objectTypes.map((meta) => [meta.name, meta.target]),
  );
  for (const type of Object.values(schema.getTypeMap())) {
    if (
      !isObjectType(type) ||
      !type.getInterfaces().some((i) => i.name === "Node")
    )
      continue;
    const typeName = type.name;
    const globalId = (node: Node) => toGlobalId(typeName, node.id);
    const field = type.getFields().id!;
    field.resolve = globalId;
    const target = classes.get(typeName) as Class | undefined;
    if (target) readAsProperty(field, NODE_ID_PROPERTY, target, globalId);
  }
}

type ParamReader = (
  root: unknown,
  context: unknown,
  info: GraphQLResolveInfo,
  args: Args,
) => unknown;

/** The parameter values of one call, from their readers in parameter order. */
function argumentList(
  readers: readonly ParamReader[],
): (...call: Parameters<ParamReader>) => unknown[] {
  const [first, second] = readers;
  // The field resolvers of the API take one or two: made without mapping an array per call.
  if (readers.length === 1) return (r, c, i, a) => [first!(r, c, i, a)];
  if (readers.length === 2)
    return (r, c, i, a) => [first!(r, c, i, a), second!(r, c, i, a)];
  return (r, c, i, a) => readers.map((read) => read(r, c, i, a));
}

import type { EntityManager } from "@mikro-orm/postgresql";

interface KyselyExecutor {
  executeQuery(query: {
    sql: string;
    parameters: readonly unknown[];
    query: { kind: "RawNode"; sqlFragments: string[]; parameters: [] };
    queryId: { queryId: string };
  }): Promise<{ rows: unknown[] }>;
}

/**
 * Runs a statement inside the EntityManager's transaction with bound parameters ($1, $2...) sent to
 * PostgreSQL as such. `em.execute` formats parameters into the SQL text first, which for a
 * multi-megabyte JSON batch costs hundreds of megabytes of copies; this keeps bulk staging at a few
 * megabytes. The statement (not its parameters) is still logged like every other.
 */
export async function executeBound<T = unknown>(
  em: EntityManager,
  sql: string,
  parameters: readonly unknown[],
): Promise<T[]> {
  const context = em.getTransactionContext() as KyselyExecutor | undefined;
  if (!context) throw new Error("executeBound needs a transaction");
  const connection = em.getConnection() as unknown as {
    logQuery?: (query: string, context?: Record<string, unknown>) => void;
  };
  const started = Date.now();
  const result = await context.executeQuery({
    sql,
    parameters,
    query: { kind: "RawNode", sqlFragments: [sql], parameters: [] },
    queryId: { queryId: "sshub-import" },
  });
  connection.logQuery?.(sql, { took: Date.now() - started });
  return result.rows as T[];
}

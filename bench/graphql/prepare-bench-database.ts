import "reflect-metadata";
import pg from "pg";
import { performance } from "node:perf_hooks";
import { ensureDatabase, openDatabase } from "../../db/database-url.js";
import { loadCouncilRegister } from "../../db/load-council-register.js";
import { migrate, openOrm } from "../../db/open-orm.js";
import { CouncilRegister } from "../../register/resolve-council.js";
import { Role } from "../../schema/role.js";
import { createToken } from "../../server/auth/token-service.js";
import { operatorCaller } from "../../server/caller.js";
import { PEER_FUNCTIONS_SQL, type BenchIds } from "./bench-queries.js";
import { generateNationalDataset } from "./generate-national-dataset.js";

/** The bench's database, ready to serve: where it is, what the queries ask for, and the hub's token. */
export interface BenchDatabase {
  url: string;
  ids: BenchIds;
  /** `Bearer …`: a national finance token, so every query of the set is allowed. */
  authorization: string;
  counts: Record<string, number>;
  release(): Promise<void>;
}

/**
 * The national-scale hub in its own database (sshub_bench on the embedded cluster or on
 * DATABASE_URL's server): migrated, the council register loaded, the dataset generated afresh,
 * PostGraphile's SQL functions installed, and a bench token created.
 */
export async function prepareBenchDatabase(
  log: (line: string) => void,
): Promise<BenchDatabase> {
  const handle = await openDatabase({ log });
  const url = await ensureDatabase(handle.url, "sshub_bench");
  const orm = await openOrm(url);
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await migrate(orm);
    await loadCouncilRegister(orm.em.fork(), CouncilRegister.default().records);
    log("generating the national dataset…");
    const t0 = performance.now();
    const counts = await generateNationalDataset(client);
    log(
      `generated in ${((performance.now() - t0) / 1000).toFixed(1)} s: ${JSON.stringify(counts)}`,
    );
    await client.query(PEER_FUNCTIONS_SQL);
    const { rows: busiest } = await client.query<{ gss_code: string }>(
      `select c.gss_code from council c join membership m on m.council_id = c.id
       group by c.id order by count(*) desc, c.gss_code limit 1`,
    );
    const { rows: partnership } = await client.query<{ id: number }>(
      "select id from partnership order by name limit 1 offset 500",
    );
    const { token } = await createToken(orm.em.fork(), {
      name: `bench ${Date.now()}`,
      role: Role.FINANCE,
      councils: [],
      expires: "1d",
      createdBy: operatorCaller(),
    });
    return {
      url,
      counts,
      ids: {
        councilCode: busiest[0]!.gss_code,
        partnershipId: partnership[0]!.id,
      },
      authorization: `Bearer ${token}`,
      release: () => handle.release(),
    };
  } finally {
    await client.end();
    await orm.close();
  }
}

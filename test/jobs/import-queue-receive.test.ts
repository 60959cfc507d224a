import type { MikroORM } from "@mikro-orm/postgresql";
import { afterAll, beforeAll, expect, it } from "vitest";
import { connectPostgres } from "../../db/connect-postgres.js";
import { openOrm } from "../../db/open-orm.js";
import type { ImportQueue } from "../../jobs/import-queue.js";
import { operatorCaller } from "../../server/caller.js";
import { openTestQueue } from "../support/import-jobs.js";
import { useTestDatabase } from "../support/test-database.js";

const db = useTestDatabase();
let orm: MikroORM;
let queue: ImportQueue;
beforeAll(async () => {
  // The hub's statement timeout, short: a statement waiting longer than this is PostgreSQL's to cancel.
  orm = await openOrm(db.url, { driverOptions: { statement_timeout: 500 } });
  queue = await openTestQueue(orm, { worker: false });
});
afterAll(async () => {
  await queue?.stop();
  await orm?.close();
});

const upload = () => ({
  bytes: Buffer.from("Service,Saving\nProcurement,1000\n"),
  fileName: "blocked.csv",
  options: { dryRun: true },
  caller: operatorCaller(),
});

it("cancels an upload's statement stuck behind a lock at the hub's statement timeout, and takes the next upload once the lock is gone", async () => {
  const locker = await connectPostgres(db.url);
  try {
    await locker.query("begin");
    await locker.query("lock table import_job in access exclusive mode");
    // Without the timeout on the receiving connection this waits for the lock for ever.
    await expect(queue.enqueue(upload())).rejects.toMatchObject({
      code: "57014",
      message: expect.stringMatching(/statement timeout/),
    });
    await locker.query("rollback");
    // The connection it held is given back: the next upload is received and queued.
    const job = await queue.enqueue(upload());
    expect(job.state).toBe("QUEUED");
  } finally {
    await locker.end();
  }
}, 30_000);

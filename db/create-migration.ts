import { openOrm } from "./open-orm.js";

// Developer tool: writes a migration for the difference between the entities and the database at
// DATABASE_URL (which must have every committed migration applied). Run with `npm run migration:create`.
const url = process.env.DATABASE_URL;
if (!url) {
  console.error("Set DATABASE_URL to a database with every migration applied.");
  process.exit(2);
}
const orm = await openOrm(url);
try {
  await orm.migrator.up();
  const result = await orm.migrator.create(
    undefined,
    false,
    process.argv.includes("--initial"),
  );
  console.log(
    result.diff.up.length
      ? `Wrote ${result.fileName}: add it to migrations/index.ts`
      : "No changes.",
  );
} finally {
  await orm.close();
}

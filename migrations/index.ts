import type { MigrationObject } from "@mikro-orm/core";
import { Migration20261123103725 } from "./Migration20261123103725.js";
import { Migration20261123105343 } from "./Migration20261123105343.js";
import { Migration20261123110006 } from "./Migration20261123110006.js";
import { Migration20261123113648 } from "./Migration20261123113648.js";
import { Migration20261130020000 } from "./Migration20261130020000.js";
import { Migration20261201100000 } from "./Migration20261201100000.js";
import { Migration20261201130000 } from "./Migration20261201130000.js";
import { Migration20261201131000 } from "./Migration20261201131000.js";
import { Migration20261201132000 } from "./Migration20261201132000.js";
import { Migration20261201140000 } from "./Migration20261201140000.js";
import { Migration20261201152000 } from "./Migration20261201152000.js";
import { Migration20261201183000 } from "./Migration20261201183000.js";

/** Every committed migration, oldest first. Append new ones here after `npm run migration:create`. */
export const migrations: MigrationObject[] = [
  { name: "Migration20261123103725", class: Migration20261123103725 },
  { name: "Migration20261123105343", class: Migration20261123105343 },
  { name: "Migration20261123110006", class: Migration20261123110006 },
  { name: "Migration20261123113648", class: Migration20261123113648 },
  { name: "Migration20261130020000", class: Migration20261130020000 },
  { name: "Migration20261201100000", class: Migration20261201100000 },
  { name: "Migration20261201130000", class: Migration20261201130000 },
  { name: "Migration20261201131000", class: Migration20261201131000 },
  { name: "Migration20261201132000", class: Migration20261201132000 },
  { name: "Migration20261201140000", class: Migration20261201140000 },
  { name: "Migration20261201152000", class: Migration20261201152000 },
  { name: "Migration20261201183000", class: Migration20261201183000 },
];

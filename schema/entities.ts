import { ApiToken } from "./api-token.js";
import { AuditEvent } from "./audit-event.js";
import { Council } from "./council.js";
import { FundingAward } from "./funding-award.js";
import { GovernanceBody } from "./governance-body.js";
import { GovernanceSeat } from "./governance-seat.js";
import { ImportJob } from "./import-job.js";
import { ImportProfile } from "./import-profile.js";
import { ImportRun } from "./import-run.js";
import { Membership } from "./membership.js";
import { Partnership } from "./partnership.js";
import { SavingsFigure } from "./savings-figure.js";
import { Service } from "./service.js";
import { Sourced } from "./sourced.js";

/** Every MikroORM entity of the hub, listed explicitly so discovery needs no file globs. */
export const entities = [
  Sourced,
  ImportRun,
  ImportJob,
  Council,
  Partnership,
  Membership,
  GovernanceBody,
  GovernanceSeat,
  Service,
  SavingsFigure,
  FundingAward,
  ApiToken,
  AuditEvent,
  ImportProfile,
];

import { ObjectType } from "type-graphql";
import { Council } from "../../schema/council.js";
import { FundingAward } from "../../schema/funding-award.js";
import { GovernanceBody } from "../../schema/governance-body.js";
import { Membership } from "../../schema/membership.js";
import { Partnership } from "../../schema/partnership.js";
import { SavingsFigure } from "../../schema/savings-figure.js";
import { Service } from "../../schema/service.js";
import { Connection } from "./connection.js";

/** A page of councils. */
@ObjectType({ description: "A page of councils (Relay connection)." })
export class CouncilConnection extends Connection(Council, "Council") {}

/** A page of partnerships. */
@ObjectType({ description: "A page of partnerships (Relay connection)." })
export class PartnershipConnection extends Connection(
  Partnership,
  "Partnership",
) {}

/** A page of memberships. */
@ObjectType({
  description:
    "A page of council memberships of partnerships (Relay connection).",
})
export class MembershipConnection extends Connection(
  Membership,
  "Membership",
) {}

/** A page of services. */
@ObjectType({ description: "A page of shared services (Relay connection)." })
export class ServiceConnection extends Connection(Service, "Service") {}

/** A page of governance bodies. */
@ObjectType({ description: "A page of governance bodies (Relay connection)." })
export class GovernanceBodyConnection extends Connection(
  GovernanceBody,
  "GovernanceBody",
) {}

/** A page of funding awards. */
@ObjectType({ description: "A page of funding awards (Relay connection)." })
export class FundingAwardConnection extends Connection(
  FundingAward,
  "FundingAward",
) {}

/** A page of savings figures, keyset-paged. */
@ObjectType({
  description:
    "A page of savings figures (Relay connection). Cursors are keyset positions, so deep pages cost what the first page costs.",
})
export class SavingsFigureConnection extends Connection(
  SavingsFigure,
  "SavingsFigure",
) {}

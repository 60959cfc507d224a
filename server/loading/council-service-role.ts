/**
 * The "council is host or partner" rule, stated once: a council takes part in a service when it
 * hosts or leads the service (`service.host_council_id`) or is a member of the service's partnership.
 * The `services(council:, councilRole:)` filter and the `Council.services` / `Council.hostedServices`
 * lists both build their SQL here. `councils` is an SQL list of council ids, such as `(?)`.
 */

/** SQL: service `s` is hosted or led by one of `councils`. */
export function hostedBySql(s: string, councils: string): string {
  return `${s}.host_council_id in ${councils}`;
}

/** SQL: service `s` belongs to a partnership one of `councils` is a member of. */
export function partnerInSql(s: string, councils: string): string {
  return `${s}.partnership_id in (select m.partnership_id from membership m where m.council_id in ${councils})`;
}

/**
 * SQL rows pairing each of `councils` (`_parent_id`) with every service it takes part in (`s.*`): its
 * partnerships' services and those it hosts, each once. `councils` is bound twice.
 */
export function councilServicesSql(councils: string): string {
  return `select m.council_id as _parent_id, s.* from membership m
            join service s on s.partnership_id = m.partnership_id where m.council_id in ${councils}
          union
          select s.host_council_id, s.* from service s where ${hostedBySql("s", councils)}`;
}

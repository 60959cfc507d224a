import type { EntityManager } from "@mikro-orm/postgresql";
import type { CouncilRecord } from "../register/council-record.js";

/**
 * Writes the council register into the database: inserts new councils, updates changed ones by GSS
 * code, and replaces the succession links. Idempotent, in one transaction, a fixed handful of
 * statements whatever the register's size (it runs on every start).
 */
export async function loadCouncilRegister(
  em: EntityManager,
  records: readonly CouncilRecord[],
): Promise<number> {
  const councils = JSON.stringify(
    records.map((r) => ({
      gss_code: r.gssCode,
      register_code: r.registerCode,
      official_name: r.officialName,
      short_name: r.shortName,
      type: r.type,
      start_date: r.startDate,
      end_date: r.endDate,
      alternative_names: r.alternativeNames,
      former_gss_codes: r.formerGssCodes,
    })),
  );
  const links = JSON.stringify(
    records.flatMap((r) =>
      r.successorGssCodes.map((successor) => ({
        predecessor: r.gssCode,
        successor,
      })),
    ),
  );
  await em.transactional(async (tx) => {
    const connection = tx.getConnection();
    await connection.execute(
      `insert into council (gss_code, register_code, official_name, short_name, type, start_date, end_date,
                            alternative_names, former_gss_codes)
       select gss_code, register_code, official_name, short_name, type, start_date, end_date,
              array(select jsonb_array_elements_text(alternative_names)),
              array(select jsonb_array_elements_text(former_gss_codes))
       from jsonb_to_recordset(?::jsonb) as r(gss_code text, register_code text, official_name text,
            short_name text, type text, start_date date, end_date date, alternative_names jsonb,
            former_gss_codes jsonb)
       on conflict (gss_code) do update set
         register_code = excluded.register_code, official_name = excluded.official_name,
         short_name = excluded.short_name, type = excluded.type, start_date = excluded.start_date,
         end_date = excluded.end_date, alternative_names = excluded.alternative_names,
         former_gss_codes = excluded.former_gss_codes
       where (council.register_code, council.official_name, council.short_name, council.type,
              council.start_date, council.end_date, council.alternative_names, council.former_gss_codes)
         is distinct from (excluded.register_code, excluded.official_name, excluded.short_name,
              excluded.type, excluded.start_date, excluded.end_date, excluded.alternative_names,
              excluded.former_gss_codes)`,
      [councils],
    );
    await connection.execute(
      `with wanted as (
         select p.id as predecessor_id, s.id as successor_id
         from jsonb_to_recordset(?::jsonb) as l(predecessor text, successor text)
         join council p on p.gss_code = l.predecessor
         join council s on s.gss_code = l.successor),
       removed as (
         delete from council_succession cs
         where not exists (select 1 from wanted w
                           where w.predecessor_id = cs.predecessor_id and w.successor_id = cs.successor_id))
       insert into council_succession (predecessor_id, successor_id)
       select predecessor_id, successor_id from wanted
       on conflict do nothing`,
      [links],
    );
  });
  return records.length;
}

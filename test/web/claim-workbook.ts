import ExcelJS from "exceljs";
import { join } from "node:path";

/**
 * Writes a claim tracker like the sample councils send (fixtures/samples/13-bolsover-claim-*) into
 * `folder`: a title, "Reporting period: `period`", a header in row 3 and `rows` from row 4.
 */
export async function claimWorkbook(
  folder: string,
  name: string,
  rows: [string, string, string, string, string][],
  period = "2008-07",
): Promise<string> {
  const workbook = new ExcelJS.Workbook();
  const sheet = workbook.addWorksheet("Claims");
  sheet.addRow(["Bolsover District Council – savings from joint working"]);
  sheet.addRow([`Reporting period: ${period}`]);
  sheet.addRow(["Council", "Service area", "Financial year", "Type", "Saving"]);
  for (const row of rows) sheet.addRow(row);
  const path = join(folder, name);
  await workbook.xlsx.writeFile(path);
  return path;
}

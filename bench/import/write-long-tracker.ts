import ExcelJS from "exceljs";

const COUNCILS = ["Chesterfield Borough Council", "Bolsover DC", "NEDDC", ""];
const MEASURES = ["Target", "Estimate", "Forecast", "Achieved"];

/**
 * Writes a long savings tracker of `rows` figures with the exceljs streaming writer (flat memory):
 * title lines, a header, and one figure per row whose key (service, council, year, measure, kind) is
 * unique, as a real tracker's would be. Amounts mix whole pounds and pence.
 */
export async function writeLongTracker(
  path: string,
  rows: number,
): Promise<void> {
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({
    filename: path,
    useSharedStrings: true,
    useStyles: false,
  });
  const sheet = workbook.addWorksheet("Tracker");
  sheet.addRow(["Benchmark savings tracker"]).commit();
  sheet.addRow(["Period:", "June 2010"]).commit();
  sheet.addRow(["Partnership:", "Derbyshire RCE Shared Services"]).commit();
  sheet
    .addRow([
      "Partners:",
      "Chesterfield Borough Council, Bolsover District Council, North East Derbyshire District Council",
    ])
    .commit();
  sheet
    .addRow([
      "Council",
      "Service",
      "Financial year",
      "Measure",
      "Cashable",
      "Amount (£)",
      "RAG",
    ])
    .commit();
  for (let i = 0; i < rows; i++) {
    const measure = i % 4;
    const council = Math.floor(i / 4) % 4;
    const cashable = Math.floor(i / 16) % 2;
    const year = 2000 + (Math.floor(i / 32) % 21);
    const service = Math.floor(i / 672);
    sheet
      .addRow([
        COUNCILS[council],
        `Service ${String(service).padStart(5, "0")}`,
        `${year}/${String((year + 1) % 100).padStart(2, "0")}`,
        MEASURES[measure],
        cashable ? "Non-cashable" : "Cashable",
        (i % 997) * 100 + (i % 3 === 0 ? 0.25 : 0),
        ["Red", "Amber", "Green"][i % 3],
      ])
      .commit();
  }
  sheet.commit();
  await workbook.commit();
}

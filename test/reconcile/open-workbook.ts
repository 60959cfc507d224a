import ExcelJS from "exceljs";

/** Opens .xlsx bytes with exceljs, as a finance officer's spreadsheet program would read the file. */
export async function openWorkbook(
  bytes: Uint8Array | ArrayBuffer,
): Promise<ExcelJS.Workbook> {
  // exceljs's typings want an ArrayBuffer; a Node Buffer may be a view on a larger pool.
  const buffer =
    bytes instanceof ArrayBuffer
      ? bytes
      : (bytes.buffer.slice(
          bytes.byteOffset,
          bytes.byteOffset + bytes.byteLength,
        ) as ArrayBuffer);
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(buffer);
  return workbook;
}

/**
 * A streaming read that ended before it met every part of the zip its central directory lists: the
 * workbook part (sheet names) or a worksheet. exceljs's zip stream (unzipper's Parse) can end as soon
 * as the file's last bytes are handed to it, before it has walked the entries still buffered, which
 * a loaded machine makes more likely; a sound file read again is read whole.
 * In a file of its own so that what catches it (the reading worker, the importer) need not load exceljs.
 */
export class WorkbookReadIncomplete extends Error {}

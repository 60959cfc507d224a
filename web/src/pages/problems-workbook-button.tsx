import { hubFetch } from "../api/hub-request";
import { DownloadButton } from "../app/download-button";

/**
 * Downloads `file` with the problems of run `importRunId` marked on their cells and listed on a
 * first sheet (POST /imports/problems-workbook, the same file as `sshub import --problems-xlsx`):
 * the hub keeps no upload, so the page sends the file it still holds back.
 */
export function ProblemsWorkbookButton({
  file,
  importRunId,
}: {
  file: File;
  importRunId: number;
}) {
  return (
    <DownloadButton
      label={`Download ${file.name} with its problems marked`}
      busyLabel="Marking the problems…"
      fallbackName={`${file.name.replace(/\.[^.]+$/, "")} - problems.xlsx`}
      fetchFile={() =>
        hubFetch(`/imports/problems-workbook?run=${importRunId}`, {
          method: "POST",
          headers: { "content-type": "application/octet-stream" },
          body: file,
        })
      }
    />
  );
}

import { useState } from "react";
import { hubFetch, HubRequestError } from "../api/hub-request";
import { saveDownload } from "../api/save-download";
import { ErrorMessage } from "../app/status-message";

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
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const download = async () => {
    setError(null);
    setBusy(true);
    try {
      const response = await hubFetch(
        `/imports/problems-workbook?run=${importRunId}`,
        {
          method: "POST",
          headers: { "content-type": "application/octet-stream" },
          body: file,
        },
      );
      await saveDownload(
        response,
        `${file.name.replace(/\.[^.]+$/, "")} - problems.xlsx`,
      );
    } catch (e) {
      setError(e instanceof HubRequestError ? e.message : String(e));
    } finally {
      setBusy(false);
    }
  };
  return (
    <p>
      <button type="button" onClick={() => void download()} disabled={busy}>
        {busy
          ? "Marking the problems…"
          : `Download ${file.name} with its problems marked`}
      </button>
      {error && <ErrorMessage>{error}</ErrorMessage>}
    </p>
  );
}

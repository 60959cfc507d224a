import { useState } from "react";
import { HubRequestError } from "../api/hub-request";
import { saveDownload } from "../api/save-download";
import { ErrorMessage } from "./status-message";

/**
 * A button that fetches a file from the hub with the tab's token (a plain link cannot carry it) and
 * saves it under the name the hub gives, else `fallbackName`; while it waits it says `busyLabel`,
 * and when the hub refuses it says why under the button.
 */
export function DownloadButton({
  label,
  busyLabel,
  fallbackName,
  fetchFile,
}: {
  label: string;
  busyLabel: string;
  fallbackName: string;
  fetchFile: () => Promise<Response>;
}) {
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const download = async () => {
    setError(null);
    setBusy(true);
    try {
      await saveDownload(await fetchFile(), fallbackName);
    } catch (e) {
      setError(e instanceof HubRequestError ? e.message : String(e));
    } finally {
      setBusy(false);
    }
  };
  return (
    <p>
      <button type="button" onClick={() => void download()} disabled={busy}>
        {busy ? busyLabel : label}
      </button>
      {error && <ErrorMessage>{error}</ErrorMessage>}
    </p>
  );
}

import { createContext, useContext } from "react";

/** Who is signed in, from the API's `viewer` query; the `may…` flags are the server's own rules. */
export interface Viewer {
  name: string;
  role: "VIEWER" | "ANALYST" | "FINANCE" | "ADMIN";
  councilGssCodes: string[] | null;
  anonymous: boolean;
  mayImport: boolean;
  mayReconcile: boolean;
}

/** The `viewer` fields the page needs. */
export const VIEWER_QUERY = `query Viewer { viewer { name role councilGssCodes anonymous mayImport mayReconcile } }`;

/** The signed-in viewer, or null before sign-in. */
export const ViewerContext = createContext<Viewer | null>(null);

/** The signed-in viewer (null when nobody is). */
export function useViewer(): Viewer | null {
  return useContext(ViewerContext);
}

import { useEffect, useState } from "react";

/** A page address: the part of the URL after "#", split into path segments and query parameters. */
export interface Route {
  segments: string[];
  params: URLSearchParams;
}

function currentRoute(): Route {
  const hash = window.location.hash.replace(/^#\/?/, "");
  const [path = "", query = ""] = hash.split("?");
  return {
    segments: path.split("/").filter(Boolean).map(decodeURIComponent),
    params: new URLSearchParams(query),
  };
}

/** The page the URL names; hash routing, so every page has an address and the hub needs no fallback route. */
export function useHashRoute(): Route {
  const [route, setRoute] = useState(currentRoute);
  useEffect(() => {
    const update = () => setRoute(currentRoute());
    window.addEventListener("hashchange", update);
    return () => window.removeEventListener("hashchange", update);
  }, []);
  return route;
}

/** The href of a page: `href("councils", "E07000033")` is "#/councils/E07000033". */
export function href(
  ...parts: (string | Record<string, string | null | undefined>)[]
): string {
  const path: string[] = [];
  const query = new URLSearchParams();
  for (const part of parts) {
    if (typeof part === "string") path.push(encodeURIComponent(part));
    else
      for (const [key, value] of Object.entries(part))
        if (value) query.set(key, value);
  }
  const search = query.toString();
  return `#/${path.join("/")}${search ? `?${search}` : ""}`;
}

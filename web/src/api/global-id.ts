/**
 * The API's global id of a database row, as the schema documents it (base64url of "Type:id"): the
 * HTTP import answer gives the run's database id, the GraphQL `import(id:)` query wants this.
 */
export function globalId(type: string, id: number): string {
  return btoa(`${type}:${id}`)
    .replace(/\+/g, "-")
    .replace(/\//g, "_")
    .replace(/=+$/, "");
}

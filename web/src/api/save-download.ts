/**
 * Saves a file answer of the hub (an export, a problems workbook) under the name its
 * content-disposition gives, else `fallbackName`: the page fetches with the token, so a plain link
 * cannot be used.
 */
export async function saveDownload(
  response: Response,
  fallbackName: string,
): Promise<void> {
  const disposition = response.headers.get("content-disposition") ?? "";
  const encoded = /filename\*=UTF-8''([^;]+)/.exec(disposition)?.[1];
  const name = encoded
    ? decodeURIComponent(encoded)
    : (/filename="([^"]+)"/.exec(disposition)?.[1] ?? fallbackName);
  const url = URL.createObjectURL(await response.blob());
  const link = document.createElement("a");
  link.href = url;
  link.download = name;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/// <reference lib="dom" />
import type { Page } from "playwright-core";

/** A phone's viewport (an iPhone 12-15's CSS pixels): the width issue 13 asks the page to work at. */
export const PHONE = { width: 390, height: 844 };

/**
 * What does not fit the window: the page's own scroll width when wider than the window, and each
 * visible element that reaches past the window's right edge without a horizontally scrolling box
 * (a wide table's `.table-wrap`, the chart) around it: those cannot be reached without scrolling
 * the whole page sideways. Empty when everything fits.
 */
export async function widerThanWindow(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const width = document.documentElement.clientWidth;
    const found: string[] = [];
    if (document.documentElement.scrollWidth > width)
      found.push(`page ${document.documentElement.scrollWidth}px`);
    const scrolls = (element: Element | null): boolean => {
      for (let e = element; e && e !== document.body; e = e.parentElement) {
        const overflow = getComputedStyle(e).overflowX;
        if (overflow === "auto" || overflow === "scroll") return true;
      }
      return false;
    };
    for (const element of Array.from(document.body.querySelectorAll("*"))) {
      const box = element.getBoundingClientRect();
      if (box.width === 0 || box.height === 0) continue;
      if (box.right <= width + 0.5) continue;
      if (scrolls(element.parentElement)) continue;
      const style = getComputedStyle(element);
      if (style.visibility === "hidden" || style.position === "absolute")
        continue;
      const name =
        element.tagName.toLowerCase() +
        (element.id ? `#${element.id}` : "") +
        (element.className && typeof element.className === "string"
          ? `.${element.className.split(" ").join(".")}`
          : "");
      found.push(`${name} to ${Math.round(box.right)}px`);
    }
    return found;
  });
}

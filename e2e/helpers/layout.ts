import type { Page } from "@playwright/test";

/** Elements whose box leaves the viewport sideways, outside any ancestor that clips or scrolls them. */
export function overflowingElements(page: Page) {
  return page.evaluate(() => {
    const vw = document.documentElement.clientWidth;
    const out: string[] = [];
    const clipped = (el: Element) => {
      for (let p = el.parentElement; p && p !== document.body; p = p.parentElement) {
        const s = getComputedStyle(p);
        if (s.overflowX !== "visible" || s.position === "fixed") return true;
      }
      return false;
    };
    for (const el of Array.from(document.body.querySelectorAll("*"))) {
      const s = getComputedStyle(el);
      if (s.display === "none" || s.visibility === "hidden" || s.position === "fixed") continue;
      if (el.closest("dialog:not([open])")) continue;
      const r = el.getBoundingClientRect();
      if (r.width === 0 || r.height === 0) continue;
      // Its box, or its content (unbreakable text overflows the box without widening it).
      const contentRight = s.overflowX === "visible" ? r.left + el.scrollWidth : r.right;
      if ((Math.max(r.right, contentRight) > vw + 1 || r.left < -1) && !clipped(el)) {
        const id = el.id ? `#${el.id}` : "";
        const testId = el.getAttribute("data-testid");
        out.push(`${el.tagName.toLowerCase()}${id}${testId ? `[data-testid=${testId}]` : ""} ${Math.round(r.left)}..${Math.round(r.right)} (${(el.textContent ?? "").trim().slice(0, 40)})`);
      }
    }
    return { scrollWidth: document.documentElement.scrollWidth, viewport: vw, elements: out.slice(0, 10) };
  });
}

import { createElement } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";
import { TableHeader } from "@/components/ui/table-header";

const headers = (props: Parameters<typeof TableHeader>[0]) =>
  [...renderToStaticMarkup(createElement("table", null, createElement(TableHeader, props))).matchAll(/<th scope="col" class="([^"]*)">(.*?)<\/th>/g)].map((m) => ({ className: m[1]!, content: m[2]! }));

describe("TableHeader (the settings tables' header row)", () => {
  it("names each column in order, then the actions column for screen readers only", () => {
    const cells = headers({ columns: ["Name", "Last used", "Status"] });
    expect(cells.map((c) => c.content)).toEqual(["Name", "Last used", "Status", '<span class="sr-only">Actions</span>']);
    expect(cells.at(-1)!.className).toContain("text-right");
  });

  it("leaves the actions column out for a table without row actions", () => {
    expect(headers({ columns: ["Group", "Members", "Role"], actions: false }).map((c) => c.content)).toEqual(["Group", "Members", "Role"]);
  });
});

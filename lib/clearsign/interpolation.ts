import { DescriptorError } from "./errors";

export type TemplatePart = { kind: "text"; text: string } | { kind: "path"; path: string };

/** Splits an `interpolatedIntent` template into text and `{path}` placeholders; `{{` and `}}` are literal braces. */
export function parseInterpolation(template: string): TemplatePart[] {
  const parts: TemplatePart[] = [];
  let text = "";
  for (let i = 0; i < template.length; i++) {
    const ch = template[i];
    const next = template[i + 1];
    if ((ch === "{" && next === "{") || (ch === "}" && next === "}")) {
      text += ch;
      i += 1;
    } else if (ch === "{") {
      const end = template.indexOf("}", i + 1);
      if (end < 0) throw new DescriptorError(`unclosed "{" in interpolatedIntent "${template}"`);
      const path = template.slice(i + 1, end).trim();
      if (path === "") throw new DescriptorError(`empty placeholder in interpolatedIntent "${template}"`);
      if (text) parts.push({ kind: "text", text });
      text = "";
      parts.push({ kind: "path", path });
      i = end;
    } else if (ch === "}") {
      throw new DescriptorError(`unmatched "}" in interpolatedIntent "${template}"`);
    } else {
      text += ch;
    }
  }
  if (text) parts.push({ kind: "text", text });
  return parts;
}

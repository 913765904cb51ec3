import { PathError } from "./errors";

/**
 * ERC-7730 path expressions: `#.` calldata, `$.` descriptor, `@.` container (`@.to`, `@.from`,
 * `@.value`, `@.chainId`); no root means relative to the enclosing field group (or `#`).
 */
export type PathRoot = "#" | "$" | "@";

export type PathStep =
  | { kind: "field"; name: string }
  | { kind: "index"; index: number }
  | { kind: "all" }
  | { kind: "slice"; start?: number; end?: number };

export interface ParsedPath {
  root: PathRoot | null;
  steps: PathStep[];
}

const SEGMENT = /^([^[\]]*)((?:\[[^\]]*\])*)$/;
const INTEGER = /^-?\d+$/;

function parseBracket(content: string, source: string): PathStep {
  if (content === "") return { kind: "all" };
  if (INTEGER.test(content)) return { kind: "index", index: Number(content) };
  const parts = content.split(":");
  if (parts.length === 2) {
    const [a = "", b = ""] = parts;
    if ((a === "" || INTEGER.test(a)) && (b === "" || INTEGER.test(b))) {
      return { kind: "slice", start: a === "" ? undefined : Number(a), end: b === "" ? undefined : Number(b) };
    }
  }
  throw new PathError(`invalid array element "[${content}]" in path "${source}"`);
}

export function parsePath(source: string): ParsedPath {
  let rest = source.trim();
  let root: PathRoot | null = null;
  const first = rest[0];
  if (first === "#" || first === "$" || first === "@") {
    root = first;
    rest = rest.slice(1);
    if (rest.startsWith(".")) rest = rest.slice(1);
    else if (rest !== "") throw new PathError(`path "${source}" must continue with "." after its root`);
  }
  const steps: PathStep[] = [];
  if (rest === "") {
    if (root === null) throw new PathError("empty path");
    return { root, steps };
  }
  for (const segment of rest.split(".")) {
    const match = SEGMENT.exec(segment);
    if (!match || segment === "") throw new PathError(`invalid segment "${segment}" in path "${source}"`);
    const name = match[1] ?? "";
    const brackets = match[2] ?? "";
    if (name !== "") steps.push({ kind: "field", name });
    for (const b of brackets.match(/\[[^\]]*\]/g) ?? []) steps.push(parseBracket(b.slice(1, -1), source));
  }
  return { root, steps };
}

/** Resolves `path` against `base` when it has no root of its own. */
export function resolveRelative(path: ParsedPath, base: ParsedPath): ParsedPath {
  if (path.root !== null) return path;
  return { root: base.root, steps: [...base.steps, ...path.steps] };
}

function stepKey(step: PathStep): string {
  switch (step.kind) {
    case "field":
      return step.name;
    case "index":
      return `[${step.index}]`;
    case "all":
      return "[]";
    case "slice":
      return `[${step.start ?? ""}:${step.end ?? ""}]`;
  }
}

/** Canonical text of a path, used to compare paths written differently (`#.a.b` vs `a.b`). */
export function pathKey(path: ParsedPath): string {
  return [path.root ?? "#", ...path.steps.map(stepKey)].join(".");
}

import { THead, Th } from "./table";

/**
 * A table's header row: a column a name, then the row actions' column (unless `actions` is false),
 * named for screen readers only: its buttons carry their own labels.
 */
export function TableHeader({ columns, actions = true }: { columns: readonly string[]; actions?: boolean }) {
  return (
    <THead>
      <tr>
        {columns.map((name) => (
          <Th key={name}>{name}</Th>
        ))}
        {actions ? (
          <Th className="text-right">
            <span className="sr-only">Actions</span>
          </Th>
        ) : null}
      </tr>
    </THead>
  );
}

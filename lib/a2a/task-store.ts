/**
 * The SDK's TaskStore on the database (`a2a_tasks`): a task is stored as the protobuf JSON of the
 * SDK's Task under its owner — the signed agent that created it (`agent:<address>`) or `anonymous` —
 * so any instance can answer tasks/get, and one caller cannot read or overwrite another's task.
 */
import { Task, type ListTasksRequest, type ListTasksResponse } from "@a2a-js/sdk";
import type { ServerCallContext, TaskStore } from "@a2a-js/sdk/server";
import type { DbOrTx } from "@/lib/db/client";

export function ownerOf(context: ServerCallContext): string {
  const name = context.user?.isAuthenticated ? context.user.userName : "";
  return name ? `agent:${name.toLowerCase()}` : "anonymous";
}

const MAX_PAGE = 100;

export class DatabaseTaskStore implements TaskStore {
  constructor(private readonly db: DbOrTx) {}

  async save(task: Task, context: ServerCallContext): Promise<void> {
    const owner = ownerOf(context);
    const json = Task.toJSON(task) as object;
    const now = new Date();
    await this.db.a2aTask.upsert({
      where: { owner_id: { owner, id: task.id } },
      create: { owner, id: task.id, contextId: task.contextId, task: json, createdAt: now, updatedAt: now },
      update: { contextId: task.contextId, task: json, updatedAt: now },
    });
  }

  async load(taskId: string, context: ServerCallContext): Promise<Task | undefined> {
    const row = await this.db.a2aTask.findUnique({ where: { owner_id: { owner: ownerOf(context), id: taskId } } });
    return row ? Task.fromJSON(row.task) : undefined;
  }

  async list(params: ListTasksRequest, context: ServerCallContext): Promise<ListTasksResponse> {
    const pageSize = Math.min(Math.max(params.pageSize ?? 50, 1), MAX_PAGE);
    const skip = /^\d{1,9}$/.test(params.pageToken) ? Number(params.pageToken) : 0;
    const where = { owner: ownerOf(context), ...(params.contextId ? { contextId: params.contextId } : {}) };
    const [rows, totalSize] = await Promise.all([
      this.db.a2aTask.findMany({ where, orderBy: [{ updatedAt: "desc" }, { id: "asc" }], skip, take: pageSize }),
      this.db.a2aTask.count({ where }),
    ]);
    const tasks = rows.map((r) => Task.fromJSON(r.task)).filter((t) => !params.status || t.status?.state === params.status);
    return { tasks, pageSize, totalSize, nextPageToken: skip + rows.length < totalSize ? String(skip + rows.length) : "" };
  }
}

/**
 * Next allows one slug name per path level: seed 001's /agents/{sid}/… handlers live under
 * app/agents/[id]/ beside the dashboard's /agents/[id] page. This hands such a handler its
 * contract's parameter name. A rejected params promise (a path that does not percent-decode) stays
 * rejected for handle() to answer 400, and is never left unhandled when handle() answers earlier.
 */
type NextContext = { params: Promise<unknown> };

export function renameParam(from: string, to: string, handler: (req: Request, next: NextContext) => Promise<Response>) {
  return (req: Request, next?: NextContext): Promise<Response> => {
    const params = Promise.resolve(next?.params).then((p) => {
      const { [from]: value, ...rest } = (p ?? {}) as Record<string, unknown>;
      return { ...rest, [to]: value ?? rest[to] };
    });
    params.catch(() => undefined);
    return handler(req, { params });
  };
}

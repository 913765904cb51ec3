/**
 * SCIM filters (RFC 7644 §3.4.2.2) → SQL: the translation itself (bound parameters, never spliced
 * values; invalidFilter on what it cannot translate), and the same filters run against the database
 * through selectIds, so the matching is PostgreSQL's, over rows this organization owns.
 */
import { describe, expect, it } from "vitest";
import { db } from "@/lib/db/client";
import { BadRequestError } from "@/lib/http/errors";
import { filterToSql, sortColumn } from "@/lib/scim/filter-sql";
import { selectIds } from "@/lib/scim/store";
import { useTestDatabase } from "../helpers/db";
import { makeUser } from "../helpers/http";

useTestDatabase();

function sql(filter: string, kind: "User" | "Group" = "User") {
  const params: unknown[] = ["org"];
  return { where: filterToSql(kind, filter, params), params };
}

function invalid(filter: string, kind: "User" | "Group" = "User") {
  try {
    sql(filter, kind);
  } catch (e) {
    expect(e).toBeInstanceOf(BadRequestError);
    return (e as BadRequestError).scimType;
  }
  throw new Error(`"${filter}" translated`);
}

describe("filter → SQL", () => {
  it("binds every value as a parameter after the ones already there, case-insensitively where the attribute is", () => {
    const r = sql('userName eq "Bjensen"');
    expect(r.where).toBe(`(lower("r"."user_name") = $2)`);
    expect(r.params).toEqual(["org", "bjensen"]);
    const inj = sql(`userName eq "x'); DROP TABLE users; --"`);
    expect(inj.where).not.toContain("DROP");
    expect(inj.params[1]).toBe("x'); drop table users; --");
  });

  it("keeps caseExact attributes exact (id, externalId)", () => {
    expect(sql('externalId eq "AbC"').params[1]).toBe("AbC");
    expect(sql('externalId eq "AbC"').where).toBe(`("r"."external_id" = $2)`);
  });

  it("translates co/sw/ew to LIKE with wildcards in the value escaped", () => {
    const r = sql('userName co "50%_off"');
    expect(r.where).toContain("LIKE $2 ESCAPE");
    expect(r.params[1]).toBe("%50\\%\\_off%");
    expect(sql('userName sw "J"').params[1]).toBe("j%");
    expect(sql('userName ew "@x.io"').params[1]).toBe("%@x.io");
  });

  it("and/or/not and grouping keep their structure", () => {
    const r = sql('title pr and (userName sw "a" or not (active eq false))');
    expect(r.where).toBe(`(("r"."title" IS NOT NULL AND "r"."title" <> '') AND ((lower("r"."user_name") LIKE $2 ESCAPE '\\') OR (NOT COALESCE(("r"."active" = $3), FALSE))))`);
    expect(r.params).toEqual(["org", "a%", false]);
  });

  it("turns a complex attribute filter into one EXISTS over the JSON array", () => {
    const r = sql('emails[type eq "work" and value co "@acme"]');
    expect(r.where).toBe(`EXISTS (SELECT 1 FROM jsonb_array_elements("r"."emails") AS "e" WHERE TRUE AND ((lower(("e"->>'type')) = $2) AND (lower(("e"->>'value')) LIKE $3 ESCAPE '\\')))`);
    expect(sql('emails.value eq "a@b.c"').where).toContain(`EXISTS (SELECT 1 FROM jsonb_array_elements`);
  });

  it("reads the enterprise extension and full URNs", () => {
    expect(sql('urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department eq "Ops"').where).toBe(`(lower(("r"."enterprise"->>'department')) = $2)`);
    expect(sql('urn:ietf:params:scim:schemas:core:2.0:User:userName eq "a"').where).toBe(`(lower("r"."user_name") = $2)`);
  });

  it("compares dateTimes as timestamps", () => {
    const r = sql('meta.lastModified gt "2011-05-13T04:42:34Z"');
    expect(r.where).toBe(`("r"."updated_at" > $2::timestamptz)`);
    expect(r.params[1]).toBe("2011-05-13T04:42:34.000Z");
  });

  it("answers invalidFilter for syntax, unknown attributes and type mismatches", () => {
    expect(invalid('userName eq')).toBe("invalidFilter");
    expect(invalid('userName zz "a"')).toBe("invalidFilter");
    expect(invalid('password eq "x"')).toBe("invalidFilter");
    expect(invalid('active gt true')).toBe("invalidFilter");
    expect(invalid('active eq "yes"')).toBe("invalidFilter");
    expect(invalid('meta.created gt "not a date"')).toBe("invalidFilter");
    expect(invalid('userName eq "a"', "Group")).toBe("invalidFilter");
    expect(invalid('emails[value[type eq "x"] eq "y"]')).toBe("invalidFilter");
  });

  it("sorts by a column, a multi-valued attribute by its primary value, and refuses the rest", () => {
    expect(sortColumn("User", "userName")).toBe(`lower("r"."user_name")`);
    expect(sortColumn("User", "emails")).toBe(`lower("r"."email")`);
    expect(sortColumn("Group", "meta.created")).toBe(`"r"."created_at"`);
    expect(() => sortColumn("User", "groups")).toThrow(BadRequestError);
  });
});

describe("filters run in the database", () => {
  it("match exactly the rows they describe, only in the caller's organization, paged by SQL", async () => {
    const { organizationId: org } = await makeUser();
    const { organizationId: other } = await makeUser();
    const mk = (organizationId: string, userName: string, extra: Record<string, unknown> = {}) =>
      db().scimUser.create({ data: { organizationId, userName, userNameKey: userName.toLowerCase(), email: userName.toLowerCase(), emails: [{ value: userName, type: "work", primary: true }], ...extra } });
    const a = await mk(org, "Alice@Acme.com", { title: "CFO", enterprise: { department: "Finance" } });
    const b = await mk(org, "bob@acme.com", { active: false, emails: [{ value: "bob@home.net", type: "home" }, { value: "bob@acme.com", type: "work" }] });
    const c = await mk(org, "carol@other.org");
    await mk(other, "alice2@acme.com");
    const group = await db().scimGroup.create({ data: { organizationId: org, displayName: "Approvers", members: { create: [{ userId: a.id }, { userId: c.id }] } } });

    const ids = async (filter: string) => (await selectIds(db(), "User", org, { filter })).ids.sort();
    expect(await ids('userName eq "alice@acme.com"')).toEqual([a.id]);
    expect(await ids('email co "@acme"')).toEqual([a.id, b.id].sort());
    expect(await ids("active eq false")).toEqual([b.id]);
    expect(await ids('emails[type eq "home" and value ew ".net"]')).toEqual([b.id]);
    expect(await ids('emails[type eq "work" and value co "@acme"]')).toEqual([a.id, b.id].sort());
    expect(await ids("title pr")).toEqual([a.id]);
    expect(await ids('not (userName sw "a") and active eq true')).toEqual([c.id]);
    expect(await ids(`groups.value eq "${group.id}"`)).toEqual([a.id, c.id].sort());
    expect(await ids('urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department eq "finance"')).toEqual([a.id]);
    expect(await ids(`members.value eq "${a.id}"`).catch((e: BadRequestError) => e.scimType)).toBe("invalidFilter");
    expect((await selectIds(db(), "Group", org, { filter: `members[value eq "${c.id}"]` })).ids).toEqual([group.id]);

    const page = await selectIds(db(), "User", org, { sortBy: "userName", sortOrder: "descending", startIndex: 2, count: 1 });
    expect(page.total).toBe(3);
    expect(page.ids).toEqual([b.id]);
    const none = await selectIds(db(), "User", org, { count: 0 });
    expect(none).toMatchObject({ total: 3, ids: [] });
  });
});

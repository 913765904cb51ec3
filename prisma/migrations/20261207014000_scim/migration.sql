-- SCIM 2.0 provisioning (issue #18): the users and groups an organization's identity provider
-- manages. A user is a membership (an invitation until the address is verified); a group maps to
-- a role. `version` is each resource's ETag.

-- CreateTable
CREATE TABLE "scim_users" (
    "id" UUID NOT NULL,
    "organization_id" UUID NOT NULL,
    "user_name" TEXT NOT NULL,
    "user_name_key" TEXT NOT NULL,
    "external_id" TEXT,
    "given_name" TEXT,
    "family_name" TEXT,
    "formatted_name" TEXT,
    "display_name" TEXT,
    "title" TEXT,
    "email" TEXT NOT NULL,
    "emails" JSONB NOT NULL DEFAULT '[]',
    "enterprise" JSONB,
    "active" BOOLEAN NOT NULL DEFAULT true,
    "base_role" "Role" NOT NULL DEFAULT 'viewer',
    "version" INTEGER NOT NULL DEFAULT 1,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "scim_users_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "scim_groups" (
    "id" UUID NOT NULL,
    "organization_id" UUID NOT NULL,
    "display_name" TEXT NOT NULL,
    "external_id" TEXT,
    "role" "Role",
    "version" INTEGER NOT NULL DEFAULT 1,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "scim_groups_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "scim_group_members" (
    "group_id" UUID NOT NULL,
    "user_id" UUID NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "scim_group_members_pkey" PRIMARY KEY ("group_id","user_id")
);

-- CreateIndex
CREATE UNIQUE INDEX "scim_users_organization_id_user_name_key_key" ON "scim_users"("organization_id", "user_name_key");

-- CreateIndex
CREATE INDEX "scim_users_organization_id_email_idx" ON "scim_users"("organization_id", "email");

-- CreateIndex
CREATE INDEX "scim_groups_organization_id_display_name_idx" ON "scim_groups"("organization_id", "display_name");

-- CreateIndex
CREATE INDEX "scim_group_members_user_id_idx" ON "scim_group_members"("user_id");

-- AddForeignKey
ALTER TABLE "scim_users" ADD CONSTRAINT "scim_users_organization_id_fkey" FOREIGN KEY ("organization_id") REFERENCES "organizations"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "scim_groups" ADD CONSTRAINT "scim_groups_organization_id_fkey" FOREIGN KEY ("organization_id") REFERENCES "organizations"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "scim_group_members" ADD CONSTRAINT "scim_group_members_group_id_fkey" FOREIGN KEY ("group_id") REFERENCES "scim_groups"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "scim_group_members" ADD CONSTRAINT "scim_group_members_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "scim_users"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- Channels and campaigns become records of their own (issue 9): leads keep their channel and campaign, cases their
-- origin, moved onto the new tables. Hand-ordered: tables and seed rows first, then the backfill, then the drops.

-- CreateTable
CREATE TABLE "Channel" (
    "id" UUID NOT NULL,
    "code" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "isActive" BOOLEAN NOT NULL DEFAULT true,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Channel_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Campaign" (
    "id" UUID NOT NULL,
    "name" TEXT NOT NULL,
    "channelId" UUID,
    "startsOn" DATE,
    "endsOn" DATE,
    "isActive" BOOLEAN NOT NULL DEFAULT true,
    "createdById" UUID,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Campaign_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "Channel_code_key" ON "Channel"("code");

-- CreateIndex
CREATE UNIQUE INDEX "Channel_name_key" ON "Channel"("name");

-- CreateIndex
CREATE UNIQUE INDEX "Campaign_name_key" ON "Campaign"("name");

-- Seed: every value of the two old lists. "campaign" (a lead's old channel), "internal" and "idea" (a case's old
-- origin) are kept for the records that have them but switched off: they are not ways in, so forms don't offer them.
INSERT INTO "Channel" ("id", "code", "name", "isActive") VALUES
    (gen_random_uuid(), 'direct', 'Direct', true),
    (gen_random_uuid(), 'email', 'Email', true),
    (gen_random_uuid(), 'phone', 'Phone', true),
    (gen_random_uuid(), 'web', 'Web', true),
    (gen_random_uuid(), 'referral', 'Referral', true),
    (gen_random_uuid(), 'chat', 'Chat', true),
    (gen_random_uuid(), 'meeting', 'Meeting', true),
    (gen_random_uuid(), 'social', 'Social', true),
    (gen_random_uuid(), 'campaign', 'Campaign', false),
    (gen_random_uuid(), 'internal', 'Internal', false),
    (gen_random_uuid(), 'idea', 'Idea', false);

-- A campaign per distinct free-text campaign of the leads (trimmed; spellings differing only in case are one).
INSERT INTO "Campaign" ("id", "name")
SELECT gen_random_uuid(), MIN(btrim("campaign"))
FROM "Lead"
WHERE "campaign" IS NOT NULL AND btrim("campaign") <> ''
GROUP BY lower(btrim("campaign"));

-- AlterTable
ALTER TABLE "Case" ADD COLUMN "campaignId" UUID, ADD COLUMN "channelId" UUID;

-- AlterTable
ALTER TABLE "Lead" ADD COLUMN "campaignId" UUID, ADD COLUMN "channelId" UUID;

-- Backfill
UPDATE "Lead" l SET "channelId" = c."id" FROM "Channel" c WHERE c."code" = l."channel"::text;
UPDATE "Lead" l SET "campaignId" = k."id" FROM "Campaign" k WHERE l."campaign" IS NOT NULL AND lower(btrim(l."campaign")) = lower(k."name");
UPDATE "Case" r SET "channelId" = c."id" FROM "Channel" c WHERE c."code" = r."origin"::text;

-- AlterTable
ALTER TABLE "Case" DROP COLUMN "origin";

-- AlterTable
ALTER TABLE "Lead" DROP COLUMN "campaign", DROP COLUMN "channel";

-- DropEnum
DROP TYPE "CaseOrigin";

-- DropEnum
DROP TYPE "LeadChannel";

-- CreateIndex
CREATE INDEX "Case_channelId_idx" ON "Case"("channelId");

-- CreateIndex
CREATE INDEX "Case_campaignId_idx" ON "Case"("campaignId");

-- CreateIndex
CREATE INDEX "Lead_channelId_idx" ON "Lead"("channelId");

-- CreateIndex
CREATE INDEX "Lead_campaignId_idx" ON "Lead"("campaignId");

-- AddForeignKey
ALTER TABLE "Case" ADD CONSTRAINT "Case_channelId_fkey" FOREIGN KEY ("channelId") REFERENCES "Channel"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Case" ADD CONSTRAINT "Case_campaignId_fkey" FOREIGN KEY ("campaignId") REFERENCES "Campaign"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Campaign" ADD CONSTRAINT "Campaign_channelId_fkey" FOREIGN KEY ("channelId") REFERENCES "Channel"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Campaign" ADD CONSTRAINT "Campaign_createdById_fkey" FOREIGN KEY ("createdById") REFERENCES "User"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Lead" ADD CONSTRAINT "Lead_channelId_fkey" FOREIGN KEY ("channelId") REFERENCES "Channel"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Lead" ADD CONSTRAINT "Lead_campaignId_fkey" FOREIGN KEY ("campaignId") REFERENCES "Campaign"("id") ON DELETE SET NULL ON UPDATE CASCADE;


-- CreateEnum
CREATE TYPE "LeadType" AS ENUM ('lead', 'opportunity');

-- CreateEnum
CREATE TYPE "LeadChannel" AS ENUM ('direct', 'email', 'phone', 'web', 'referral', 'campaign');

-- CreateEnum
CREATE TYPE "LeadStageKind" AS ENUM ('open', 'won', 'lost');

-- CreateEnum
CREATE TYPE "MergeRequestState" AS ENUM ('pending', 'approved', 'rejected', 'cancelled');

-- AlterTable
ALTER TABLE "Team" ADD COLUMN     "managersSlackChannelId" TEXT,
ADD COLUMN     "managersTeamsConversationId" TEXT;

-- AlterTable
ALTER TABLE "Outbox" ADD COLUMN     "seq" BIGSERIAL NOT NULL;

-- AlterTable
ALTER TABLE "PhoneCall" ADD COLUMN     "leadId" UUID;

-- CreateTable
CREATE TABLE "LeadStage" (
    "id" UUID NOT NULL,
    "teamId" UUID,
    "name" TEXT NOT NULL,
    "sequence" INTEGER NOT NULL,
    "kind" "LeadStageKind" NOT NULL DEFAULT 'open',
    "probability" INTEGER NOT NULL,

    CONSTRAINT "LeadStage_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "LostReason" (
    "id" UUID NOT NULL,
    "name" TEXT NOT NULL,
    "isActive" BOOLEAN NOT NULL DEFAULT true,

    CONSTRAINT "LostReason_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Lead" (
    "id" UUID NOT NULL,
    "number" SERIAL NOT NULL,
    "type" "LeadType" NOT NULL DEFAULT 'lead',
    "title" TEXT NOT NULL,
    "contactName" TEXT,
    "companyName" TEXT,
    "email" TEXT,
    "emailNormalized" TEXT,
    "emailDomain" TEXT,
    "phone" TEXT,
    "phoneSanitized" TEXT,
    "street" TEXT,
    "city" TEXT,
    "zip" TEXT,
    "country" TEXT,
    "partnerId" UUID,
    "salespersonId" UUID,
    "teamId" UUID,
    "createdById" UUID,
    "tags" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "channel" "LeadChannel" NOT NULL DEFAULT 'direct',
    "campaign" TEXT,
    "referredBy" TEXT,
    "notes" TEXT,
    "expectedRevenue" DECIMAL(14,2),
    "probability" INTEGER NOT NULL DEFAULT 10,
    "stageId" UUID NOT NULL,
    "isOpen" BOOLEAN NOT NULL DEFAULT true,
    "priority" INTEGER NOT NULL DEFAULT 0,
    "nextAction" TEXT,
    "nextActionAt" TIMESTAMPTZ(3),
    "expectedCloseAt" TIMESTAMPTZ(3),
    "lostReasonId" UUID,
    "closingNote" TEXT,
    "wonAt" TIMESTAMPTZ(3),
    "lostAt" TIMESTAMPTZ(3),
    "convertedAt" TIMESTAMPTZ(3),
    "stageChangedAt" TIMESTAMPTZ(3),
    "mergedIntoId" UUID,
    "mergedAt" TIMESTAMPTZ(3),
    "sourceLink" TEXT,
    "version" INTEGER NOT NULL DEFAULT 0,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "Lead_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "MergeRequest" (
    "id" UUID NOT NULL,
    "number" SERIAL NOT NULL,
    "teamId" UUID,
    "requesterId" UUID NOT NULL,
    "reason" TEXT NOT NULL,
    "state" "MergeRequestState" NOT NULL DEFAULT 'pending',
    "decidedById" UUID,
    "decidedAt" TIMESTAMPTZ(3),
    "decisionNote" TEXT,
    "survivorId" UUID,
    "version" INTEGER NOT NULL DEFAULT 0,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "MergeRequest_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "MergeRequestLead" (
    "requestId" UUID NOT NULL,
    "leadId" UUID NOT NULL,
    "position" INTEGER NOT NULL,
    "version" INTEGER NOT NULL,

    CONSTRAINT "MergeRequestLead_pkey" PRIMARY KEY ("requestId","leadId")
);

-- CreateIndex
CREATE UNIQUE INDEX "LeadStage_teamId_name_key" ON "LeadStage"("teamId", "name");

-- CreateIndex
CREATE UNIQUE INDEX "LostReason_name_key" ON "LostReason"("name");

-- CreateIndex
CREATE UNIQUE INDEX "Lead_number_key" ON "Lead"("number");

-- CreateIndex
CREATE INDEX "Lead_salespersonId_isOpen_type_idx" ON "Lead"("salespersonId", "isOpen", "type");

-- CreateIndex
CREATE INDEX "Lead_teamId_isOpen_type_idx" ON "Lead"("teamId", "isOpen", "type");

-- CreateIndex
CREATE INDEX "Lead_emailNormalized_isOpen_number_idx" ON "Lead"("emailNormalized", "isOpen", "number");

-- CreateIndex
CREATE INDEX "Lead_emailDomain_isOpen_number_idx" ON "Lead"("emailDomain", "isOpen", "number");

-- CreateIndex
CREATE INDEX "Lead_phoneSanitized_isOpen_number_idx" ON "Lead"("phoneSanitized", "isOpen", "number");

-- CreateIndex
CREATE INDEX "Lead_partnerId_isOpen_number_idx" ON "Lead"("partnerId", "isOpen", "number");

-- CreateIndex
CREATE INDEX "Lead_wonAt_idx" ON "Lead"("wonAt");

-- CreateIndex
CREATE UNIQUE INDEX "MergeRequest_number_key" ON "MergeRequest"("number");

-- CreateIndex
CREATE INDEX "MergeRequest_teamId_state_idx" ON "MergeRequest"("teamId", "state");

-- CreateIndex
CREATE INDEX "MergeRequest_requesterId_state_idx" ON "MergeRequest"("requesterId", "state");

-- CreateIndex
CREATE INDEX "MergeRequestLead_leadId_idx" ON "MergeRequestLead"("leadId");

-- CreateIndex
CREATE INDEX "PhoneCall_leadId_idx" ON "PhoneCall"("leadId");

-- AddForeignKey
ALTER TABLE "PhoneCall" ADD CONSTRAINT "PhoneCall_leadId_fkey" FOREIGN KEY ("leadId") REFERENCES "Lead"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "LeadStage" ADD CONSTRAINT "LeadStage_teamId_fkey" FOREIGN KEY ("teamId") REFERENCES "Team"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Lead" ADD CONSTRAINT "Lead_partnerId_fkey" FOREIGN KEY ("partnerId") REFERENCES "Partner"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Lead" ADD CONSTRAINT "Lead_salespersonId_fkey" FOREIGN KEY ("salespersonId") REFERENCES "User"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Lead" ADD CONSTRAINT "Lead_teamId_fkey" FOREIGN KEY ("teamId") REFERENCES "Team"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Lead" ADD CONSTRAINT "Lead_createdById_fkey" FOREIGN KEY ("createdById") REFERENCES "User"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Lead" ADD CONSTRAINT "Lead_stageId_fkey" FOREIGN KEY ("stageId") REFERENCES "LeadStage"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Lead" ADD CONSTRAINT "Lead_lostReasonId_fkey" FOREIGN KEY ("lostReasonId") REFERENCES "LostReason"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Lead" ADD CONSTRAINT "Lead_mergedIntoId_fkey" FOREIGN KEY ("mergedIntoId") REFERENCES "Lead"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "MergeRequest" ADD CONSTRAINT "MergeRequest_teamId_fkey" FOREIGN KEY ("teamId") REFERENCES "Team"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "MergeRequest" ADD CONSTRAINT "MergeRequest_requesterId_fkey" FOREIGN KEY ("requesterId") REFERENCES "User"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "MergeRequest" ADD CONSTRAINT "MergeRequest_decidedById_fkey" FOREIGN KEY ("decidedById") REFERENCES "User"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "MergeRequestLead" ADD CONSTRAINT "MergeRequestLead_requestId_fkey" FOREIGN KEY ("requestId") REFERENCES "MergeRequest"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "MergeRequestLead" ADD CONSTRAINT "MergeRequestLead_leadId_fkey" FOREIGN KEY ("leadId") REFERENCES "Lead"("id") ON DELETE CASCADE ON UPDATE CASCADE;


-- Probability and priority stay in range whatever writes them (Odoo has the same SQL check on probability).
ALTER TABLE "Lead" ADD CONSTRAINT "Lead_probability_range" CHECK ("probability" BETWEEN 0 AND 100);
ALTER TABLE "Lead" ADD CONSTRAINT "Lead_priority_range" CHECK ("priority" BETWEEN 0 AND 3);
ALTER TABLE "LeadStage" ADD CONSTRAINT "LeadStage_probability_range" CHECK ("probability" BETWEEN 0 AND 100);

-- Seed: the shared pipeline stages (a team may define its own) and Odoo's lost reasons plus three common ones.
INSERT INTO "LeadStage" ("id", "teamId", "name", "sequence", "kind", "probability") VALUES
  (gen_random_uuid(), NULL, 'New', 1, 'open', 10),
  (gen_random_uuid(), NULL, 'Qualified', 2, 'open', 30),
  (gen_random_uuid(), NULL, 'Proposition', 3, 'open', 60),
  (gen_random_uuid(), NULL, 'Negotiation', 4, 'open', 80),
  (gen_random_uuid(), NULL, 'Won', 70, 'won', 100),
  (gen_random_uuid(), NULL, 'Lost', 80, 'lost', 0);

INSERT INTO "LostReason" ("id", "name") VALUES
  (gen_random_uuid(), 'Too expensive'),
  (gen_random_uuid(), 'We don''t have people/skills'),
  (gen_random_uuid(), 'Not enough stock'),
  (gen_random_uuid(), 'Chose a competitor'),
  (gen_random_uuid(), 'No budget'),
  (gen_random_uuid(), 'Stopped responding');

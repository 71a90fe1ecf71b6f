
-- CreateEnum
CREATE TYPE "CasePriority" AS ENUM ('low', 'medium', 'high', 'urgent');

-- CreateEnum
CREATE TYPE "CaseOrigin" AS ENUM ('email', 'phone', 'web', 'chat', 'meeting', 'social', 'internal', 'idea');

-- CreateEnum
CREATE TYPE "StageKind" AS ENUM ('open', 'waiting', 'done', 'cancelled');

-- CreateEnum
CREATE TYPE "ClaimKind" AS ENUM ('customer', 'supplier');

-- CreateEnum
CREATE TYPE "ClaimState" AS ENUM ('new', 'in_progress', 'settled', 'rejected');

-- CreateEnum
CREATE TYPE "ClaimActionType" AS ENUM ('corrective', 'preventive');

-- CreateTable
CREATE TABLE "CaseType" (
    "id" UUID NOT NULL,
    "name" TEXT NOT NULL,
    "teamId" UUID NOT NULL,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "CaseType_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "CaseStage" (
    "id" UUID NOT NULL,
    "teamId" UUID,
    "name" TEXT NOT NULL,
    "sequence" INTEGER NOT NULL,
    "kind" "StageKind" NOT NULL DEFAULT 'open',

    CONSTRAINT "CaseStage_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Case" (
    "id" UUID NOT NULL,
    "number" SERIAL NOT NULL,
    "subject" TEXT NOT NULL,
    "description" TEXT,
    "typeId" UUID,
    "teamId" UUID NOT NULL,
    "priority" "CasePriority" NOT NULL DEFAULT 'medium',
    "stageId" UUID NOT NULL,
    "isOpen" BOOLEAN NOT NULL DEFAULT true,
    "progress" INTEGER NOT NULL DEFAULT 0,
    "partnerId" UUID,
    "contactId" UUID,
    "coordinatorId" UUID,
    "assigneeId" UUID,
    "createdById" UUID,
    "origin" "CaseOrigin" NOT NULL DEFAULT 'chat',
    "isInternal" BOOLEAN NOT NULL DEFAULT false,
    "category" TEXT,
    "caseClass" TEXT,
    "startAt" TIMESTAMPTZ(3),
    "plannedCloseAt" TIMESTAMPTZ(3),
    "estimatedHours" DOUBLE PRECISION,
    "complexity" INTEGER,
    "level" INTEGER NOT NULL DEFAULT 0,
    "isBillable" BOOLEAN NOT NULL DEFAULT false,
    "expectedRevenue" DOUBLE PRECISION,
    "expectedCost" DOUBLE PRECISION,
    "probability" INTEGER,
    "resolution" TEXT,
    "closedAt" TIMESTAMPTZ(3),
    "firstResponseAt" TIMESTAMPTZ(3),
    "firstResponseDueAt" TIMESTAMPTZ(3),
    "resolutionDueAt" TIMESTAMPTZ(3),
    "slaEscalated" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "escalatedAt" TIMESTAMPTZ(3),
    "sourceLink" TEXT,
    "sourceChannel" TEXT,
    "sourceTs" TEXT,
    "version" INTEGER NOT NULL DEFAULT 0,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "Case_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "CaseWatcher" (
    "id" UUID NOT NULL,
    "caseId" UUID NOT NULL,
    "userId" UUID,
    "email" TEXT,

    CONSTRAINT "CaseWatcher_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "CaseActivity" (
    "id" UUID NOT NULL,
    "caseId" UUID NOT NULL,
    "userId" UUID NOT NULL,
    "date" TEXT NOT NULL,
    "startAt" TIMESTAMPTZ(3),
    "endAt" TIMESTAMPTZ(3),
    "minutes" INTEGER NOT NULL,
    "description" TEXT NOT NULL,
    "isBillable" BOOLEAN NOT NULL DEFAULT false,
    "category" TEXT,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "CaseActivity_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "SlaPolicy" (
    "id" UUID NOT NULL,
    "teamId" UUID NOT NULL,
    "priority" "CasePriority" NOT NULL,
    "firstResponseMinutes" INTEGER,
    "resolutionMinutes" INTEGER,

    CONSTRAINT "SlaPolicy_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ClaimCategory" (
    "id" UUID NOT NULL,
    "name" TEXT NOT NULL,
    "teamId" UUID,

    CONSTRAINT "ClaimCategory_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Claim" (
    "id" UUID NOT NULL,
    "number" SERIAL NOT NULL,
    "kind" "ClaimKind" NOT NULL DEFAULT 'customer',
    "subject" TEXT NOT NULL,
    "partnerId" UUID,
    "categoryId" UUID,
    "teamId" UUID,
    "sourceDocument" TEXT,
    "responsibleId" UUID,
    "createdById" UUID,
    "deadline" TIMESTAMPTZ(3),
    "priority" "CasePriority" NOT NULL DEFAULT 'medium',
    "state" "ClaimState" NOT NULL DEFAULT 'new',
    "description" TEXT,
    "rootCause" TEXT,
    "resolution" TEXT,
    "actionType" "ClaimActionType",
    "closedAt" TIMESTAMPTZ(3),
    "sourceLink" TEXT,
    "version" INTEGER NOT NULL DEFAULT 0,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "Claim_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ClaimAttachment" (
    "id" UUID NOT NULL,
    "claimId" UUID NOT NULL,
    "fileName" TEXT NOT NULL,
    "contentType" TEXT NOT NULL,
    "size" INTEGER NOT NULL,
    "content" BYTEA NOT NULL,
    "sourceRef" TEXT,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ClaimAttachment_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ClaimRepair" (
    "id" UUID NOT NULL,
    "claimId" UUID NOT NULL,
    "title" TEXT NOT NULL,
    "assigneeId" UUID,
    "doneAt" TIMESTAMPTZ(3),
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ClaimRepair_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ClaimWatcher" (
    "id" UUID NOT NULL,
    "claimId" UUID NOT NULL,
    "userId" UUID,
    "email" TEXT,

    CONSTRAINT "ClaimWatcher_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "CaseType_name_key" ON "CaseType"("name");

-- CreateIndex
CREATE UNIQUE INDEX "CaseStage_teamId_name_key" ON "CaseStage"("teamId", "name");

-- CreateIndex
CREATE UNIQUE INDEX "Case_number_key" ON "Case"("number");

-- CreateIndex
CREATE INDEX "Case_assigneeId_isOpen_level_priority_createdAt_idx" ON "Case"("assigneeId", "isOpen", "level" DESC, "priority" DESC, "createdAt");

-- CreateIndex
CREATE INDEX "Case_teamId_isOpen_createdAt_idx" ON "Case"("teamId", "isOpen", "createdAt");

-- CreateIndex
CREATE INDEX "Case_partnerId_isOpen_idx" ON "Case"("partnerId", "isOpen");

-- CreateIndex
CREATE INDEX "Case_sourceChannel_sourceTs_idx" ON "Case"("sourceChannel", "sourceTs");

-- CreateIndex
CREATE UNIQUE INDEX "CaseWatcher_caseId_userId_key" ON "CaseWatcher"("caseId", "userId");

-- CreateIndex
CREATE UNIQUE INDEX "CaseWatcher_caseId_email_key" ON "CaseWatcher"("caseId", "email");

-- CreateIndex
CREATE INDEX "CaseActivity_caseId_idx" ON "CaseActivity"("caseId");

-- CreateIndex
CREATE UNIQUE INDEX "SlaPolicy_teamId_priority_key" ON "SlaPolicy"("teamId", "priority");

-- CreateIndex
CREATE UNIQUE INDEX "ClaimCategory_name_key" ON "ClaimCategory"("name");

-- CreateIndex
CREATE UNIQUE INDEX "Claim_number_key" ON "Claim"("number");

-- CreateIndex
CREATE INDEX "Claim_kind_state_createdAt_idx" ON "Claim"("kind", "state", "createdAt");

-- CreateIndex
CREATE INDEX "Claim_partnerId_state_idx" ON "Claim"("partnerId", "state");

-- CreateIndex
CREATE INDEX "Claim_responsibleId_state_idx" ON "Claim"("responsibleId", "state");

-- CreateIndex
CREATE INDEX "ClaimAttachment_claimId_idx" ON "ClaimAttachment"("claimId");

-- CreateIndex
CREATE INDEX "ClaimRepair_claimId_idx" ON "ClaimRepair"("claimId");

-- CreateIndex
CREATE UNIQUE INDEX "ClaimWatcher_claimId_userId_key" ON "ClaimWatcher"("claimId", "userId");

-- CreateIndex
CREATE UNIQUE INDEX "ClaimWatcher_claimId_email_key" ON "ClaimWatcher"("claimId", "email");

-- AddForeignKey
ALTER TABLE "CaseType" ADD CONSTRAINT "CaseType_teamId_fkey" FOREIGN KEY ("teamId") REFERENCES "Team"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "CaseStage" ADD CONSTRAINT "CaseStage_teamId_fkey" FOREIGN KEY ("teamId") REFERENCES "Team"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Case" ADD CONSTRAINT "Case_typeId_fkey" FOREIGN KEY ("typeId") REFERENCES "CaseType"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Case" ADD CONSTRAINT "Case_teamId_fkey" FOREIGN KEY ("teamId") REFERENCES "Team"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Case" ADD CONSTRAINT "Case_stageId_fkey" FOREIGN KEY ("stageId") REFERENCES "CaseStage"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Case" ADD CONSTRAINT "Case_partnerId_fkey" FOREIGN KEY ("partnerId") REFERENCES "Partner"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Case" ADD CONSTRAINT "Case_contactId_fkey" FOREIGN KEY ("contactId") REFERENCES "Partner"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Case" ADD CONSTRAINT "Case_coordinatorId_fkey" FOREIGN KEY ("coordinatorId") REFERENCES "User"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Case" ADD CONSTRAINT "Case_assigneeId_fkey" FOREIGN KEY ("assigneeId") REFERENCES "User"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Case" ADD CONSTRAINT "Case_createdById_fkey" FOREIGN KEY ("createdById") REFERENCES "User"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "CaseWatcher" ADD CONSTRAINT "CaseWatcher_caseId_fkey" FOREIGN KEY ("caseId") REFERENCES "Case"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "CaseWatcher" ADD CONSTRAINT "CaseWatcher_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "CaseActivity" ADD CONSTRAINT "CaseActivity_caseId_fkey" FOREIGN KEY ("caseId") REFERENCES "Case"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "CaseActivity" ADD CONSTRAINT "CaseActivity_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "SlaPolicy" ADD CONSTRAINT "SlaPolicy_teamId_fkey" FOREIGN KEY ("teamId") REFERENCES "Team"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ClaimCategory" ADD CONSTRAINT "ClaimCategory_teamId_fkey" FOREIGN KEY ("teamId") REFERENCES "Team"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Claim" ADD CONSTRAINT "Claim_partnerId_fkey" FOREIGN KEY ("partnerId") REFERENCES "Partner"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Claim" ADD CONSTRAINT "Claim_categoryId_fkey" FOREIGN KEY ("categoryId") REFERENCES "ClaimCategory"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Claim" ADD CONSTRAINT "Claim_teamId_fkey" FOREIGN KEY ("teamId") REFERENCES "Team"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Claim" ADD CONSTRAINT "Claim_responsibleId_fkey" FOREIGN KEY ("responsibleId") REFERENCES "User"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Claim" ADD CONSTRAINT "Claim_createdById_fkey" FOREIGN KEY ("createdById") REFERENCES "User"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ClaimAttachment" ADD CONSTRAINT "ClaimAttachment_claimId_fkey" FOREIGN KEY ("claimId") REFERENCES "Claim"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ClaimRepair" ADD CONSTRAINT "ClaimRepair_claimId_fkey" FOREIGN KEY ("claimId") REFERENCES "Claim"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ClaimRepair" ADD CONSTRAINT "ClaimRepair_assigneeId_fkey" FOREIGN KEY ("assigneeId") REFERENCES "User"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ClaimWatcher" ADD CONSTRAINT "ClaimWatcher_claimId_fkey" FOREIGN KEY ("claimId") REFERENCES "Claim"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ClaimWatcher" ADD CONSTRAINT "ClaimWatcher_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;


-- Seed: the shared case stages (a team may define its own) and the claim categories.
INSERT INTO "CaseStage" ("id", "teamId", "name", "sequence", "kind") VALUES
  (gen_random_uuid(), NULL, 'New', 1, 'open'),
  (gen_random_uuid(), NULL, 'Planned', 2, 'open'),
  (gen_random_uuid(), NULL, 'In progress', 3, 'open'),
  (gen_random_uuid(), NULL, 'Waiting for data', 4, 'waiting'),
  (gen_random_uuid(), NULL, 'Delayed', 5, 'open'),
  (gen_random_uuid(), NULL, 'Completed', 6, 'done'),
  (gen_random_uuid(), NULL, 'Cancelled', 7, 'cancelled');

INSERT INTO "ClaimCategory" ("id", "name", "teamId") VALUES
  (gen_random_uuid(), 'Invoice', NULL),
  (gen_random_uuid(), 'Receipt', NULL),
  (gen_random_uuid(), 'Shipment', NULL),
  (gen_random_uuid(), 'Customer return', NULL),
  (gen_random_uuid(), 'Supplier return', NULL),
  (gen_random_uuid(), 'Manufacturing', NULL);

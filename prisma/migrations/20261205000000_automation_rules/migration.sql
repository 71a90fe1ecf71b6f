
-- AlterEnum
ALTER TYPE "OutboxChannel" ADD VALUE 'webhook';

-- CreateTable
CREATE TABLE "AutomationRule" (
    "id" UUID NOT NULL,
    "number" SERIAL NOT NULL,
    "name" TEXT NOT NULL,
    "recordType" TEXT NOT NULL,
    "triggerKind" TEXT NOT NULL,
    "definition" JSONB NOT NULL,
    "enabled" BOOLEAN NOT NULL DEFAULT false,
    "version" INTEGER NOT NULL DEFAULT 0,
    "scheduledVersion" INTEGER NOT NULL DEFAULT -1,
    "createdById" UUID,
    "updatedById" UUID,
    "lastFiredAt" TIMESTAMPTZ(3),
    "fireCount" INTEGER NOT NULL DEFAULT 0,
    "lastWarning" TEXT,
    "lastWarningAt" TIMESTAMPTZ(3),
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "AutomationRule_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "RuleFiring" (
    "id" UUID NOT NULL,
    "ruleId" UUID NOT NULL,
    "recordType" TEXT NOT NULL,
    "recordId" TEXT NOT NULL,
    "occasion" TEXT NOT NULL,
    "results" JSONB NOT NULL,
    "depth" INTEGER NOT NULL DEFAULT 0,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "RuleFiring_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "AutomationRule_number_key" ON "AutomationRule"("number");

-- CreateIndex
CREATE UNIQUE INDEX "AutomationRule_name_key" ON "AutomationRule"("name");

-- CreateIndex
CREATE INDEX "AutomationRule_recordType_enabled_idx" ON "AutomationRule"("recordType", "enabled");

-- CreateIndex
CREATE INDEX "RuleFiring_recordType_recordId_idx" ON "RuleFiring"("recordType", "recordId");

-- CreateIndex
CREATE UNIQUE INDEX "RuleFiring_ruleId_recordId_occasion_key" ON "RuleFiring"("ruleId", "recordId", "occasion");

-- AddForeignKey
ALTER TABLE "RuleFiring" ADD CONSTRAINT "RuleFiring_ruleId_fkey" FOREIGN KEY ("ruleId") REFERENCES "AutomationRule"("id") ON DELETE CASCADE ON UPDATE CASCADE;


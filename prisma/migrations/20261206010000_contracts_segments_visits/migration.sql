
-- CreateEnum
CREATE TYPE "CategorySource" AS ENUM ('manual', 'criteria');

-- CreateEnum
CREATE TYPE "ContractBilling" AS ENUM ('fixed_price', 'time_and_materials', 'prepaid_hours');

-- CreateEnum
CREATE TYPE "ContractState" AS ENUM ('draft', 'open', 'closed', 'cancelled');


-- AlterTable
ALTER TABLE "Partner" ADD COLUMN     "country" TEXT,
ADD COLUMN     "industry" TEXT;

-- AlterTable
ALTER TABLE "PartnerCategory" ADD COLUMN     "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
ADD COLUMN     "criteria" JSONB,
ADD COLUMN     "description" TEXT,
ADD COLUMN     "evaluatedAt" TIMESTAMPTZ(3),
ADD COLUMN     "updatedAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP;
-- (the default only fills existing rows; Prisma sets updatedAt itself)
ALTER TABLE "PartnerCategory" ALTER COLUMN "updatedAt" DROP DEFAULT;

-- AlterTable
ALTER TABLE "Case" ADD COLUMN     "contractId" UUID;

-- AlterTable
ALTER TABLE "Meeting" ADD COLUMN     "visitPlanId" UUID;


-- CreateTable
CREATE TABLE "PartnerCategoryMember" (
    "partnerId" UUID NOT NULL,
    "categoryId" UUID NOT NULL,
    "source" "CategorySource" NOT NULL,
    "reason" TEXT NOT NULL,
    "addedAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "PartnerCategoryMember_pkey" PRIMARY KEY ("partnerId","categoryId")
);

-- CreateTable
CREATE TABLE "Contract" (
    "id" UUID NOT NULL,
    "number" SERIAL NOT NULL,
    "name" TEXT NOT NULL,
    "partnerId" UUID NOT NULL,
    "salespersonId" UUID,
    "teamId" UUID,
    "startsAt" TIMESTAMPTZ(3) NOT NULL,
    "endsAt" TIMESTAMPTZ(3),
    "billing" "ContractBilling" NOT NULL DEFAULT 'fixed_price',
    "unitPrice" DECIMAL(14,2),
    "prepaidUnits" DOUBLE PRECISION,
    "unitsUsed" DOUBLE PRECISION NOT NULL DEFAULT 0,
    "state" "ContractState" NOT NULL DEFAULT 'open',
    "renewedFromId" UUID,
    "usageWarned" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "notes" TEXT,
    "version" INTEGER NOT NULL DEFAULT 0,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "Contract_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "VisitPlan" (
    "id" UUID NOT NULL,
    "number" SERIAL NOT NULL,
    "categoryId" UUID NOT NULL,
    "title" TEXT NOT NULL,
    "rrule" TEXT NOT NULL,
    "firstStartAt" TIMESTAMPTZ(3) NOT NULL,
    "durationMinutes" INTEGER NOT NULL,
    "timeZone" TEXT NOT NULL,
    "createdById" UUID,
    "isActive" BOOLEAN NOT NULL DEFAULT true,
    "version" INTEGER NOT NULL DEFAULT 0,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "VisitPlan_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "PartnerCategoryMember_categoryId_idx" ON "PartnerCategoryMember"("categoryId");

-- CreateIndex
CREATE UNIQUE INDEX "Contract_number_key" ON "Contract"("number");

-- CreateIndex
CREATE UNIQUE INDEX "Contract_renewedFromId_key" ON "Contract"("renewedFromId");

-- CreateIndex
CREATE INDEX "Contract_partnerId_state_idx" ON "Contract"("partnerId", "state");

-- CreateIndex
CREATE INDEX "Contract_salespersonId_state_endsAt_idx" ON "Contract"("salespersonId", "state", "endsAt");

-- CreateIndex
CREATE INDEX "Contract_teamId_state_endsAt_idx" ON "Contract"("teamId", "state", "endsAt");

-- CreateIndex
CREATE UNIQUE INDEX "VisitPlan_number_key" ON "VisitPlan"("number");

-- CreateIndex
CREATE INDEX "Case_contractId_idx" ON "Case"("contractId");

-- CreateIndex
CREATE INDEX "Meeting_visitPlanId_partnerId_idx" ON "Meeting"("visitPlanId", "partnerId");

-- AddForeignKey
ALTER TABLE "PartnerCategoryMember" ADD CONSTRAINT "PartnerCategoryMember_partnerId_fkey" FOREIGN KEY ("partnerId") REFERENCES "Partner"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "PartnerCategoryMember" ADD CONSTRAINT "PartnerCategoryMember_categoryId_fkey" FOREIGN KEY ("categoryId") REFERENCES "PartnerCategory"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Contract" ADD CONSTRAINT "Contract_partnerId_fkey" FOREIGN KEY ("partnerId") REFERENCES "Partner"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Contract" ADD CONSTRAINT "Contract_salespersonId_fkey" FOREIGN KEY ("salespersonId") REFERENCES "User"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Contract" ADD CONSTRAINT "Contract_teamId_fkey" FOREIGN KEY ("teamId") REFERENCES "Team"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Contract" ADD CONSTRAINT "Contract_renewedFromId_fkey" FOREIGN KEY ("renewedFromId") REFERENCES "Contract"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "VisitPlan" ADD CONSTRAINT "VisitPlan_categoryId_fkey" FOREIGN KEY ("categoryId") REFERENCES "PartnerCategory"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "VisitPlan" ADD CONSTRAINT "VisitPlan_createdById_fkey" FOREIGN KEY ("createdById") REFERENCES "User"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Case" ADD CONSTRAINT "Case_contractId_fkey" FOREIGN KEY ("contractId") REFERENCES "Contract"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Meeting" ADD CONSTRAINT "Meeting_visitPlanId_fkey" FOREIGN KEY ("visitPlanId") REFERENCES "VisitPlan"("id") ON DELETE SET NULL ON UPDATE CASCADE;


-- Memberships assigned before categories had reasons are kept, as manual ones (A: Partner, B: PartnerCategory).
INSERT INTO "PartnerCategoryMember" ("partnerId", "categoryId", "source", "reason")
SELECT "A", "B", 'manual', 'assigned before categories recorded a reason' FROM "_PartnerToPartnerCategory"
ON CONFLICT DO NOTHING;

-- DropTable
DROP TABLE "_PartnerToPartnerCategory";

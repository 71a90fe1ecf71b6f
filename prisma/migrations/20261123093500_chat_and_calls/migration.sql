
-- CreateEnum
CREATE TYPE "CallDirection" AS ENUM ('inbound', 'outbound');

-- CreateEnum
CREATE TYPE "CallState" AS ENUM ('planned', 'held', 'cancelled');

-- CreateTable
CREATE TABLE "PhoneCall" (
    "id" UUID NOT NULL,
    "number" SERIAL NOT NULL,
    "direction" "CallDirection" NOT NULL DEFAULT 'outbound',
    "state" "CallState" NOT NULL DEFAULT 'held',
    "subject" TEXT NOT NULL,
    "notes" TEXT,
    "partnerId" UUID,
    "contactPhone" TEXT,
    "durationMinutes" INTEGER,
    "callAt" TIMESTAMPTZ(3) NOT NULL,
    "ownerId" UUID NOT NULL,
    "sourceLink" TEXT,
    "dueNotifiedAt" TIMESTAMPTZ(3),
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "PhoneCall_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "SlackInstallation" (
    "id" TEXT NOT NULL,
    "teamId" TEXT,
    "enterpriseId" TEXT,
    "isEnterpriseInstall" BOOLEAN NOT NULL DEFAULT false,
    "botToken" TEXT NOT NULL,
    "botId" TEXT,
    "botUserId" TEXT,
    "installation" JSONB NOT NULL,
    "installedAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "SlackInstallation_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ProcessedEvent" (
    "id" TEXT NOT NULL,
    "receivedAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ProcessedEvent_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "TeamsConversation" (
    "id" TEXT NOT NULL,
    "tenantId" TEXT,
    "serviceUrl" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "userAadId" TEXT,
    "reference" JSONB NOT NULL,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "TeamsConversation_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "PhoneCall_number_key" ON "PhoneCall"("number");

-- CreateIndex
CREATE INDEX "PhoneCall_ownerId_state_callAt_idx" ON "PhoneCall"("ownerId", "state", "callAt");

-- CreateIndex
CREATE INDEX "PhoneCall_partnerId_callAt_idx" ON "PhoneCall"("partnerId", "callAt");

-- CreateIndex
CREATE INDEX "ProcessedEvent_receivedAt_idx" ON "ProcessedEvent"("receivedAt");

-- CreateIndex
CREATE INDEX "TeamsConversation_userAadId_idx" ON "TeamsConversation"("userAadId");

-- AddForeignKey
ALTER TABLE "PhoneCall" ADD CONSTRAINT "PhoneCall_partnerId_fkey" FOREIGN KEY ("partnerId") REFERENCES "Partner"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "PhoneCall" ADD CONSTRAINT "PhoneCall_ownerId_fkey" FOREIGN KEY ("ownerId") REFERENCES "User"("id") ON DELETE RESTRICT ON UPDATE CASCADE;



-- CreateEnum
CREATE TYPE "MailRecordKind" AS ENUM ('case', 'claim', 'lead');

-- CreateEnum
CREATE TYPE "MailContactPolicy" AS ENUM ('everyone', 'partners', 'watchers');

-- CreateEnum
CREATE TYPE "EmailDirection" AS ENUM ('inbound', 'outbound');

-- CreateEnum
CREATE TYPE "EmailStatus" AS ENUM ('created', 'threaded', 'rejected', 'ignored', 'bounce', 'sent');

-- AlterTable
ALTER TABLE "Team" ADD COLUMN     "emailAck" BOOLEAN NOT NULL DEFAULT true,
ADD COLUMN     "emailContact" "MailContactPolicy" NOT NULL DEFAULT 'everyone',
ADD COLUMN     "emailCreates" "MailRecordKind";

-- CreateTable
CREATE TABLE "EmailMessage" (
    "id" UUID NOT NULL,
    "messageId" TEXT NOT NULL,
    "direction" "EmailDirection" NOT NULL,
    "status" "EmailStatus" NOT NULL,
    "recordType" TEXT,
    "recordId" TEXT,
    "teamId" UUID,
    "fromAddress" TEXT NOT NULL,
    "fromName" TEXT,
    "toAddresses" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "ccAddresses" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "subject" TEXT NOT NULL,
    "text" TEXT NOT NULL,
    "inReplyTo" TEXT,
    "references" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "reason" TEXT,
    "size" INTEGER NOT NULL,
    "sentById" UUID,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "EmailMessage_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "EmailAttachment" (
    "id" UUID NOT NULL,
    "emailId" UUID NOT NULL,
    "fileName" TEXT NOT NULL,
    "contentType" TEXT NOT NULL,
    "size" INTEGER NOT NULL,
    "content" BYTEA NOT NULL,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "EmailAttachment_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "EmailAddressStatus" (
    "address" TEXT NOT NULL,
    "bounceCount" INTEGER NOT NULL DEFAULT 0,
    "lastBounceAt" TIMESTAMPTZ(3),
    "lastReason" TEXT,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "EmailAddressStatus_pkey" PRIMARY KEY ("address")
);

-- CreateTable
CREATE TABLE "AppSecret" (
    "name" TEXT NOT NULL,
    "value" TEXT NOT NULL,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "AppSecret_pkey" PRIMARY KEY ("name")
);

-- CreateIndex
CREATE UNIQUE INDEX "EmailMessage_messageId_key" ON "EmailMessage"("messageId");

-- CreateIndex
CREATE INDEX "EmailMessage_recordType_recordId_createdAt_idx" ON "EmailMessage"("recordType", "recordId", "createdAt");

-- CreateIndex
CREATE INDEX "EmailMessage_fromAddress_status_createdAt_idx" ON "EmailMessage"("fromAddress", "status", "createdAt");

-- CreateIndex
CREATE INDEX "EmailAttachment_emailId_idx" ON "EmailAttachment"("emailId");

-- AddForeignKey
ALTER TABLE "EmailAttachment" ADD CONSTRAINT "EmailAttachment_emailId_fkey" FOREIGN KEY ("emailId") REFERENCES "EmailMessage"("id") ON DELETE CASCADE ON UPDATE CASCADE;


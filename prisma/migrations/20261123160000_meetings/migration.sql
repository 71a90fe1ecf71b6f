
-- CreateEnum
CREATE TYPE "CallKind" AS ENUM ('call', 'voicemail');

-- CreateEnum
CREATE TYPE "MeetingStatus" AS ENUM ('confirmed', 'cancelled');

-- CreateEnum
CREATE TYPE "ShowAs" AS ENUM ('busy', 'free');

-- CreateEnum
CREATE TYPE "AttendeeResponse" AS ENUM ('needs_action', 'accepted', 'declined', 'tentative');

-- CreateEnum
CREATE TYPE "ReminderChannel" AS ENUM ('dm', 'email');

-- AlterTable
ALTER TABLE "PhoneCall" ADD COLUMN     "kind" "CallKind" NOT NULL DEFAULT 'call',
ADD COLUMN     "version" INTEGER NOT NULL DEFAULT 0;

-- CreateTable
CREATE TABLE "Meeting" (
    "id" UUID NOT NULL,
    "number" SERIAL NOT NULL,
    "uid" TEXT NOT NULL,
    "sequence" INTEGER NOT NULL DEFAULT 0,
    "title" TEXT NOT NULL,
    "description" TEXT,
    "location" TEXT,
    "videoUrl" TEXT,
    "startAt" TIMESTAMPTZ(3) NOT NULL,
    "endAt" TIMESTAMPTZ(3) NOT NULL,
    "isAllDay" BOOLEAN NOT NULL DEFAULT false,
    "timeZone" TEXT NOT NULL,
    "rrule" TEXT,
    "seriesEndAt" TIMESTAMPTZ(3),
    "status" "MeetingStatus" NOT NULL DEFAULT 'confirmed',
    "showAs" "ShowAs" NOT NULL DEFAULT 'busy',
    "organizerId" UUID NOT NULL,
    "partnerId" UUID,
    "leadId" UUID,
    "caseId" UUID,
    "callId" UUID,
    "splitFromId" UUID,
    "importedFrom" TEXT,
    "sourceLink" TEXT,
    "version" INTEGER NOT NULL DEFAULT 0,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "Meeting_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "MeetingAttendee" (
    "id" UUID NOT NULL,
    "meetingId" UUID NOT NULL,
    "userId" UUID,
    "email" TEXT,
    "name" TEXT,
    "response" "AttendeeResponse" NOT NULL DEFAULT 'needs_action',
    "respondedAt" TIMESTAMPTZ(3),

    CONSTRAINT "MeetingAttendee_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "MeetingReminder" (
    "id" UUID NOT NULL,
    "meetingId" UUID NOT NULL,
    "minutesBefore" INTEGER NOT NULL,
    "channel" "ReminderChannel" NOT NULL DEFAULT 'dm',

    CONSTRAINT "MeetingReminder_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "MeetingException" (
    "id" UUID NOT NULL,
    "meetingId" UUID NOT NULL,
    "originalStart" TIMESTAMPTZ(3) NOT NULL,
    "isCancelled" BOOLEAN NOT NULL DEFAULT false,
    "startAt" TIMESTAMPTZ(3),
    "endAt" TIMESTAMPTZ(3),
    "title" TEXT,
    "location" TEXT,
    "description" TEXT,

    CONSTRAINT "MeetingException_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ReminderDelivery" (
    "id" UUID NOT NULL,
    "meetingId" UUID NOT NULL,
    "reminderId" UUID NOT NULL,
    "attendeeId" UUID NOT NULL,
    "occurrenceStart" TIMESTAMPTZ(3) NOT NULL,
    "dueAt" TIMESTAMPTZ(3) NOT NULL,
    "sentAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "snoozedUntil" TIMESTAMPTZ(3),

    CONSTRAINT "ReminderDelivery_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "CalendarFeedToken" (
    "id" UUID NOT NULL,
    "userId" UUID NOT NULL,
    "tokenHash" TEXT NOT NULL,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "revokedAt" TIMESTAMPTZ(3),
    "lastUsedAt" TIMESTAMPTZ(3),

    CONSTRAINT "CalendarFeedToken_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "Meeting_number_key" ON "Meeting"("number");

-- CreateIndex
CREATE UNIQUE INDEX "Meeting_uid_key" ON "Meeting"("uid");

-- CreateIndex
CREATE INDEX "Meeting_organizerId_startAt_idx" ON "Meeting"("organizerId", "startAt");

-- CreateIndex
CREATE INDEX "Meeting_startAt_idx" ON "Meeting"("startAt");

-- CreateIndex
CREATE INDEX "Meeting_seriesEndAt_idx" ON "Meeting"("seriesEndAt");

-- CreateIndex
CREATE INDEX "MeetingAttendee_userId_idx" ON "MeetingAttendee"("userId");

-- CreateIndex
CREATE UNIQUE INDEX "MeetingAttendee_meetingId_userId_key" ON "MeetingAttendee"("meetingId", "userId");

-- CreateIndex
CREATE UNIQUE INDEX "MeetingAttendee_meetingId_email_key" ON "MeetingAttendee"("meetingId", "email");

-- CreateIndex
CREATE UNIQUE INDEX "MeetingReminder_meetingId_minutesBefore_channel_key" ON "MeetingReminder"("meetingId", "minutesBefore", "channel");

-- CreateIndex
CREATE UNIQUE INDEX "MeetingException_meetingId_originalStart_key" ON "MeetingException"("meetingId", "originalStart");

-- CreateIndex
CREATE INDEX "ReminderDelivery_meetingId_idx" ON "ReminderDelivery"("meetingId");

-- CreateIndex
CREATE UNIQUE INDEX "ReminderDelivery_reminderId_occurrenceStart_attendeeId_key" ON "ReminderDelivery"("reminderId", "occurrenceStart", "attendeeId");

-- CreateIndex
CREATE UNIQUE INDEX "CalendarFeedToken_tokenHash_key" ON "CalendarFeedToken"("tokenHash");

-- CreateIndex
CREATE INDEX "CalendarFeedToken_userId_idx" ON "CalendarFeedToken"("userId");

-- AddForeignKey
ALTER TABLE "Meeting" ADD CONSTRAINT "Meeting_organizerId_fkey" FOREIGN KEY ("organizerId") REFERENCES "User"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Meeting" ADD CONSTRAINT "Meeting_partnerId_fkey" FOREIGN KEY ("partnerId") REFERENCES "Partner"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Meeting" ADD CONSTRAINT "Meeting_leadId_fkey" FOREIGN KEY ("leadId") REFERENCES "Lead"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Meeting" ADD CONSTRAINT "Meeting_caseId_fkey" FOREIGN KEY ("caseId") REFERENCES "Case"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Meeting" ADD CONSTRAINT "Meeting_callId_fkey" FOREIGN KEY ("callId") REFERENCES "PhoneCall"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "MeetingAttendee" ADD CONSTRAINT "MeetingAttendee_meetingId_fkey" FOREIGN KEY ("meetingId") REFERENCES "Meeting"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "MeetingAttendee" ADD CONSTRAINT "MeetingAttendee_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "MeetingReminder" ADD CONSTRAINT "MeetingReminder_meetingId_fkey" FOREIGN KEY ("meetingId") REFERENCES "Meeting"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "MeetingException" ADD CONSTRAINT "MeetingException_meetingId_fkey" FOREIGN KEY ("meetingId") REFERENCES "Meeting"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ReminderDelivery" ADD CONSTRAINT "ReminderDelivery_meetingId_fkey" FOREIGN KEY ("meetingId") REFERENCES "Meeting"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ReminderDelivery" ADD CONSTRAINT "ReminderDelivery_reminderId_fkey" FOREIGN KEY ("reminderId") REFERENCES "MeetingReminder"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ReminderDelivery" ADD CONSTRAINT "ReminderDelivery_attendeeId_fkey" FOREIGN KEY ("attendeeId") REFERENCES "MeetingAttendee"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "CalendarFeedToken" ADD CONSTRAINT "CalendarFeedToken_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;


-- What Prisma cannot express: a meeting ends after it starts, reminders are before it, an attendee is someone.
ALTER TABLE "Meeting" ADD CONSTRAINT "Meeting_ends_after_start" CHECK ("endAt" >= "startAt");
ALTER TABLE "MeetingReminder" ADD CONSTRAINT "MeetingReminder_minutes_range" CHECK ("minutesBefore" BETWEEN 0 AND 40320);
ALTER TABLE "MeetingAttendee" ADD CONSTRAINT "MeetingAttendee_someone" CHECK ("userId" IS NOT NULL OR "email" IS NOT NULL);

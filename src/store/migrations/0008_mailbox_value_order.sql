DROP INDEX "mailbox_challenges_application_idx";--> statement-breakpoint
ALTER TABLE "mailbox_challenges" ADD COLUMN "seq" bigserial NOT NULL;--> statement-breakpoint
CREATE INDEX "mailbox_challenges_application_idx" ON "mailbox_challenges" USING btree ("application_id","seq");
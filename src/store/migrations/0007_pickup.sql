CREATE TABLE "ca_certificates" (
	"role" text PRIMARY KEY NOT NULL,
	"sha256" text NOT NULL,
	"subject" text NOT NULL,
	"der" "bytea" NOT NULL,
	"registered_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "certificate_serials" (
	"serial_number" text PRIMARY KEY NOT NULL,
	"reserved_at" timestamp with time zone NOT NULL,
	"reserved_for" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "mailbox_challenges" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"application_id" uuid NOT NULL,
	"email" text NOT NULL,
	"method" text NOT NULL,
	"value_hash" text,
	"sent_at" timestamp with time zone NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"failed_attempts" integer DEFAULT 0 NOT NULL,
	"verified_at" timestamp with time zone
);
--> statement-breakpoint
ALTER TABLE "pickup_credentials" ADD COLUMN "issuing_since" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "mailbox_challenges" ADD CONSTRAINT "mailbox_challenges_application_id_applications_id_fk" FOREIGN KEY ("application_id") REFERENCES "public"."applications"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "mailbox_challenges_application_idx" ON "mailbox_challenges" USING btree ("application_id","sent_at");--> statement-breakpoint
-- Serials already used stay used.
INSERT INTO "certificate_serials" ("serial_number", "reserved_at", "reserved_for")
  SELECT "serial_number", "created_at", 'certificate:' || "id" FROM "certificates" ON CONFLICT DO NOTHING;

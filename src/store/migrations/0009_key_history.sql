ALTER TABLE "certificates" ADD COLUMN "spki_sha256" text;--> statement-breakpoint
CREATE INDEX "certificates_spki_sha256_idx" ON "certificates" USING btree ("spki_sha256");--> statement-breakpoint
ALTER TABLE "certificate_serials" ADD COLUMN "signed_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "certificate_serials" ADD COLUMN "der" "bytea";--> statement-breakpoint
CREATE TABLE "compromised_keys" (
	"spki_sha256" text PRIMARY KEY NOT NULL,
	"reason" text NOT NULL,
	"recorded_at" timestamp with time zone NOT NULL,
	"source" text NOT NULL
);

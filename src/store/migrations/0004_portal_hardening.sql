CREATE TABLE "app_secrets" (
	"name" text PRIMARY KEY NOT NULL,
	"value" "bytea" NOT NULL,
	"created_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
ALTER TABLE "applications" ADD COLUMN "cancel_token_hash" text;--> statement-breakpoint
CREATE UNIQUE INDEX "applications_cancel_token_hash_key" ON "applications" USING btree ("cancel_token_hash");
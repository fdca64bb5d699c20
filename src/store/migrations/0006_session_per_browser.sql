ALTER TABLE "sessions" ADD COLUMN "form_cookie_hash" text;--> statement-breakpoint
CREATE INDEX "sessions_form_cookie_idx" ON "sessions" USING btree ("form_cookie_hash");
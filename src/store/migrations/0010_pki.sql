-- What relying parties fetch (issue: CRLs and OCSP). One row per CA (root, issuing): the
-- counter that hands out CRL numbers, and the newest CRL published under one of them.
CREATE TABLE "crl_state" (
	"role" text PRIMARY KEY NOT NULL,
	"last_number" bigint NOT NULL,
	"number" bigint,
	"this_update" timestamp with time zone,
	"next_update" timestamp with time zone,
	"der" "bytea",
	"entry_count" integer,
	"updated_at" timestamp with time zone NOT NULL,
	CONSTRAINT "crl_state_role" CHECK ("role" in ('root', 'issuing')),
	CONSTRAINT "crl_state_number_handed_out" CHECK ("number" IS NULL OR "number" <= "last_number"),
	CONSTRAINT "crl_state_published_whole" CHECK (("number" IS NULL) = ("der" IS NULL) AND ("der" IS NULL) = ("this_update" IS NULL) AND ("this_update" IS NULL) = ("next_update" IS NULL) AND ("next_update" IS NULL) = ("entry_count" IS NULL))
);
--> statement-breakpoint
-- The delegated OCSP responders' certificates, one per serving process and key (the keys
-- never leave the process that made them).
CREATE TABLE "ocsp_responders" (
	"serial_number" text PRIMARY KEY NOT NULL,
	"der" "bytea" NOT NULL,
	"not_before" timestamp with time zone NOT NULL,
	"not_after" timestamp with time zone NOT NULL,
	"created_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
-- The CRL lists exactly these; the CRL job counts them to notice a revocation it missed.
CREATE INDEX "certificates_revoked_idx" ON "certificates" USING btree ("serial_number") WHERE "status" = 'revoked';

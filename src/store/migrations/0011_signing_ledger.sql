-- The CA's bookkeeping around its signatures in one statement per batch (issue: issuance at
-- openssl's speed). Signatures that happen together share one round trip and one hold of
-- the audit chain's head; each batch commits as a whole, or not at all.
--
-- The one way an entry joins the audit chain: entries in array order, each hashed over its
-- predecessor by audit_entry_hash (migration 0005), the head locked once and moved once.
-- An entry is {at, actor, action, subjectType, subjectId, before?, after?}; an absent
-- before/after is SQL NULL. Returns the new head.
CREATE FUNCTION append_audit_entries(entries jsonb) RETURNS TABLE (head_seq bigint, head_hash text)
LANGUAGE plpgsql AS $$
DECLARE
  e jsonb;
  entry_at timestamptz;
  next_hash text;
BEGIN
  SELECT h.seq, h.hash INTO head_seq, head_hash FROM audit_head h WHERE h.id = 1 FOR UPDATE;
  IF NOT FOUND THEN
    RAISE EXCEPTION 'appending to the audit chain: no head row';
  END IF;
  FOR e IN SELECT value FROM jsonb_array_elements(entries) LOOP
    head_seq := head_seq + 1;
    entry_at := (e->>'at')::timestamptz;
    next_hash := audit_entry_hash(head_hash, head_seq, entry_at, e->>'actor', e->>'action', e->>'subjectType', e->>'subjectId', e->'before', e->'after');
    INSERT INTO audit_log (seq, prev_hash, hash, at, actor, action, subject_type, subject_id, before, after)
    VALUES (head_seq, head_hash, next_hash, entry_at, e->>'actor', e->>'action', e->>'subjectType', e->>'subjectId', e->'before', e->'after');
    head_hash := next_hash;
  END LOOP;
  UPDATE audit_head SET seq = head_seq, hash = head_hash WHERE id = 1;
  RETURN NEXT;
END $$;
--> statement-breakpoint
-- Before the signatures: for each {serialNumber, reservedFor, spkiSha256, tbsSha256, at},
-- a key on record as compromised is refused (S/MIME BR 6.1.1.3), else the serial is
-- reserved (S/MIME BR 7.1: never reused; a taken one is said so) and the coming signature
-- audited. One outcome per item, in order: 'reserved', 'serialTaken' or 'keyCompromised'.
CREATE FUNCTION reserve_serials_for_signing(batch jsonb) RETURNS TABLE (serial text, outcome text)
LANGUAGE plpgsql AS $$
DECLARE
  r record;
  audit jsonb := '[]'::jsonb;
BEGIN
  FOR r IN SELECT * FROM jsonb_to_recordset(batch) AS x("serialNumber" text, "reservedFor" text, "spkiSha256" text, "tbsSha256" text, "at" text) LOOP
    serial := lower(r."serialNumber");
    IF EXISTS (SELECT 1 FROM compromised_keys k WHERE k.spki_sha256 = r."spkiSha256") THEN
      outcome := 'keyCompromised';
    ELSE
      INSERT INTO certificate_serials (serial_number, reserved_for, reserved_at)
      VALUES (serial, r."reservedFor", r."at"::timestamptz) ON CONFLICT DO NOTHING;
      IF FOUND THEN
        outcome := 'reserved';
        audit := audit || jsonb_build_array(jsonb_build_object(
          'at', r."at", 'actor', 'system:ca', 'action', 'certificate.signing', 'subjectType', 'serial', 'subjectId', serial,
          'after', jsonb_build_object('tbsSha256', r."tbsSha256", 'reservedFor', r."reservedFor")));
      ELSE
        outcome := 'serialTaken';
      END IF;
    END IF;
    RETURN NEXT;
  END LOOP;
  IF jsonb_array_length(audit) > 0 THEN
    PERFORM append_audit_entries(audit);
  END IF;
END $$;
--> statement-breakpoint
-- After the signatures: for each {serialNumber, derHex, certificateSha256, at}, the signed
-- certificate kept with its reserved serial and audited, before anyone sees it. A serial
-- that was never reserved is a fault of the caller: the whole batch fails.
CREATE FUNCTION record_signed_certificates(batch jsonb) RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
  r record;
  reserved_for_of text;
  audit jsonb := '[]'::jsonb;
BEGIN
  FOR r IN SELECT * FROM jsonb_to_recordset(batch) AS x("serialNumber" text, "derHex" text, "certificateSha256" text, "at" text) LOOP
    UPDATE certificate_serials s SET der = decode(r."derHex", 'hex'), signed_at = r."at"::timestamptz
    WHERE s.serial_number = lower(r."serialNumber")
    RETURNING s.reserved_for INTO reserved_for_of;
    IF NOT FOUND THEN
      RAISE EXCEPTION 'recording a signed certificate: serial % was never reserved', r."serialNumber";
    END IF;
    audit := audit || jsonb_build_array(jsonb_build_object(
      'at', r."at", 'actor', 'system:ca', 'action', 'certificate.signed', 'subjectType', 'serial', 'subjectId', lower(r."serialNumber"),
      'after', jsonb_build_object('certificateSha256', r."certificateSha256", 'reservedFor', reserved_for_of)));
  END LOOP;
  IF jsonb_array_length(audit) > 0 THEN
    PERFORM append_audit_entries(audit);
  END IF;
END $$;

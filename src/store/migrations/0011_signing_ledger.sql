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
  first_seq bigint;
  e jsonb;
  prev_hashes text[] := '{}';
  hashes text[] := '{}';
BEGIN
  SELECT h.seq, h.hash INTO head_seq, head_hash FROM audit_head h WHERE h.id = 1 FOR UPDATE;
  IF NOT FOUND THEN
    RAISE EXCEPTION 'appending to the audit chain: no head row';
  END IF;
  first_seq := head_seq;
  -- The hashes one after the other (each covers its predecessor), the rows in one insert.
  FOR e IN SELECT value FROM jsonb_array_elements(entries) LOOP
    head_seq := head_seq + 1;
    prev_hashes := prev_hashes || head_hash;
    head_hash := audit_entry_hash(head_hash, head_seq, (e->>'at')::timestamptz, e->>'actor', e->>'action', e->>'subjectType', e->>'subjectId', e->'before', e->'after');
    hashes := hashes || head_hash;
  END LOOP;
  INSERT INTO audit_log (seq, prev_hash, hash, at, actor, action, subject_type, subject_id, before, after)
  SELECT first_seq + x.n, prev_hashes[x.n], hashes[x.n], (x.e->>'at')::timestamptz, x.e->>'actor', x.e->>'action', x.e->>'subjectType', x.e->>'subjectId', x.e->'before', x.e->'after'
  FROM jsonb_array_elements(entries) WITH ORDINALITY AS x(e, n);
  UPDATE audit_head SET seq = head_seq, hash = head_hash WHERE id = 1;
  RETURN NEXT;
END $$;
--> statement-breakpoint
-- Before the signatures: for each {serialNumber, reservedFor, spkiSha256, tbsSha256, at},
-- a key on record as compromised is refused (S/MIME BR 6.1.1.3), else the serial is
-- reserved (S/MIME BR 7.1: never reused; a taken one is said so, and of one serial twice
-- in a batch the first takes it) and the coming signature audited. One outcome per item,
-- in order: 'reserved', 'serialTaken' or 'keyCompromised'.
CREATE FUNCTION reserve_serials_for_signing(batch jsonb) RETURNS TABLE (serial text, outcome text)
LANGUAGE plpgsql AS $$
DECLARE
  serials text[];
  outcomes text[];
  audit jsonb;
BEGIN
  -- The chain's head first: a keyCompromise revocation holds it until it commits (its
  -- entry comes last), so the look into compromised_keys below, a statement of its own
  -- with its own snapshot, sees every revocation that committed before this batch.
  PERFORM 1 FROM audit_head h WHERE h.id = 1 FOR UPDATE;
  WITH input AS (
    SELECT x.n, lower(x.item->>'serialNumber') AS serial_number, x.item->>'reservedFor' AS reserved_for, x.item->>'tbsSha256' AS tbs_sha256, x.item->>'at' AS at,
      EXISTS (SELECT 1 FROM compromised_keys k WHERE k.spki_sha256 = x.item->>'spkiSha256') AS compromised
    FROM jsonb_array_elements(batch) WITH ORDINALITY AS x(item, n)
  ),
  first_asks AS (
    SELECT DISTINCT ON (i.serial_number) i.n, i.serial_number, i.reserved_for, i.at FROM input i WHERE NOT i.compromised ORDER BY i.serial_number, i.n
  ),
  inserted AS (
    INSERT INTO certificate_serials (serial_number, reserved_for, reserved_at)
    SELECT f.serial_number, f.reserved_for, f.at::timestamptz FROM first_asks f
    ON CONFLICT DO NOTHING
    RETURNING certificate_serials.serial_number
  ),
  judged AS (
    SELECT i.*, CASE
      WHEN i.compromised THEN 'keyCompromised'
      WHEN EXISTS (SELECT 1 FROM inserted r JOIN first_asks f ON f.serial_number = r.serial_number WHERE f.n = i.n) THEN 'reserved'
      ELSE 'serialTaken' END AS verdict
    FROM input i
  )
  SELECT array_agg(j.serial_number ORDER BY j.n), array_agg(j.verdict ORDER BY j.n),
    coalesce(jsonb_agg(jsonb_build_object(
      'at', j.at, 'actor', 'system:ca', 'action', 'certificate.signing', 'subjectType', 'serial', 'subjectId', j.serial_number,
      'after', jsonb_build_object('tbsSha256', j.tbs_sha256, 'reservedFor', j.reserved_for)) ORDER BY j.n) FILTER (WHERE j.verdict = 'reserved'), '[]'::jsonb)
  INTO serials, outcomes, audit
  FROM judged j;
  IF jsonb_array_length(audit) > 0 THEN
    PERFORM append_audit_entries(audit);
  END IF;
  RETURN QUERY SELECT u.s, u.o FROM unnest(serials, outcomes) WITH ORDINALITY AS u(s, o, n) ORDER BY u.n;
END $$;
--> statement-breakpoint
-- After the signatures: for each {serialNumber, derHex, certificateSha256, at}, the signed
-- certificate kept with its reserved serial and audited, before anyone sees it. The same
-- certificate recorded again (a batch whose answer was lost after its commit, written
-- again) changes nothing; a serial never reserved, or one that holds another certificate,
-- is a fault of the caller: the whole batch fails.
CREATE FUNCTION record_signed_certificates(batch jsonb) RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
  recorded bigint;
  distinct_serials bigint;
  holding bigint;
  audit jsonb;
BEGIN
  WITH input AS (
    SELECT x.n, lower(x.item->>'serialNumber') AS serial_number, decode(x.item->>'derHex', 'hex') AS der, x.item->>'certificateSha256' AS certificate_sha256, x.item->>'at' AS at
    FROM jsonb_array_elements(batch) WITH ORDINALITY AS x(item, n)
  ),
  updated AS (
    UPDATE certificate_serials s SET der = i.der, signed_at = i.at::timestamptz
    FROM input i WHERE s.serial_number = i.serial_number AND s.der IS NULL
    RETURNING s.serial_number, s.reserved_for
  )
  SELECT count(*), coalesce(jsonb_agg(jsonb_build_object(
      'at', i.at, 'actor', 'system:ca', 'action', 'certificate.signed', 'subjectType', 'serial', 'subjectId', i.serial_number,
      'after', jsonb_build_object('certificateSha256', i.certificate_sha256, 'reservedFor', u.reserved_for)) ORDER BY i.n), '[]'::jsonb),
    (SELECT count(DISTINCT a.serial_number) FROM input a)
  INTO recorded, audit, distinct_serials
  FROM input i JOIN updated u ON u.serial_number = i.serial_number;
  IF distinct_serials <> jsonb_array_length(batch) THEN
    RAISE EXCEPTION 'recording signed certificates: a serial more than once in one batch';
  END IF;
  IF recorded <> jsonb_array_length(batch) THEN
    -- Not all were free: each must hold this very certificate now, written before or just now.
    SELECT count(*) INTO holding
    FROM jsonb_array_elements(batch) AS x(item)
    JOIN certificate_serials s ON s.serial_number = lower(x.item->>'serialNumber') AND s.der = decode(x.item->>'derHex', 'hex');
    IF holding <> jsonb_array_length(batch) THEN
      RAISE EXCEPTION 'recording signed certificates: only % of % serials are reserved and hold the certificate recorded for them', holding, jsonb_array_length(batch);
    END IF;
  END IF;
  IF recorded > 0 THEN
    PERFORM append_audit_entries(audit);
  END IF;
END $$;

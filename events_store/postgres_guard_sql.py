"""The plpgsql of the PostgreSQL guard (``events_store.postgres_guard``), as templates.

Each ``<<name>>`` is filled by ``postgres_guard.guard_sql`` with a schema-qualified name, a
literal or a table of values generated from the domain (the policy, the refusal messages, the
event types); the reasons for each check are in ``postgres_guard``'s docstring and in the
comments beside the checks here.
"""

REFUSE = """
CREATE OR REPLACE FUNCTION <<schema>>.renja_guard_refuse(refusal text, args jsonb) RETURNS void
LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $renja$
DECLARE
  rendered text;
  item record;
BEGIN
  SELECT t.message INTO rendered FROM (VALUES <<messages>>) AS t(refusal, message) WHERE t.refusal = $1;
  FOR item IN SELECT a.key, a.value FROM jsonb_each_text(args) AS a LOOP
    rendered := replace(rendered, '{' || item.key || '}', coalesce(item.value, '-'));
  END LOOP;
  RAISE EXCEPTION USING ERRCODE = 'insufficient_privilege', MESSAGE = 'renja: ' || coalesce(rendered, $1),
    DETAIL = (jsonb_build_object('refusal', $1) || args)::text, HINT = 'see docs/postgresql-roles.md';
END
$renja$"""

# The register row of a line, as the events say it (events_store.time_index.derived_register):
# its LineOpened, with the kode of its last KodeRecorded.
AGREES = """
CREATE OR REPLACE FUNCTION <<schema>>.renja_guard_register_agrees(line text) RETURNS boolean
LANGUAGE plpgsql STABLE SET search_path = pg_catalog, pg_temp AS $renja$
DECLARE
  opened jsonb;
  latest_kode text;
  registered record;
BEGIN
  IF line IS NULL OR line !~ '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$' THEN
    RETURN false;
  END IF;
  SELECT convert_from(o.state, 'UTF8')::jsonb INTO opened FROM <<events>> o
   WHERE o.originator_id = line::uuid AND o.originator_version = 1 AND o.topic = <<line_opened>>;
  SELECT convert_from(k.state, 'UTF8')::jsonb ->> 'kode' INTO latest_kode FROM <<events>> k
   WHERE k.originator_id = line::uuid AND k.topic = <<kode_recorded>> ORDER BY k.originator_version DESC LIMIT 1;
  SELECT l.* INTO registered FROM <<lines>> l WHERE l.line_id = line;
  RETURN opened IS NOT NULL AND registered.line_id IS NOT NULL AND coalesce(
    registered.opd = opened ->> 'opd' AND registered.tahun::text = opened ->> 'tahun'
    AND registered.line_key = opened ->> 'key' AND registered.level = opened ->> 'level'
    AND registered.nama = opened ->> 'nama' AND registered.parent_key IS NOT DISTINCT FROM opened ->> 'parent_key'
    AND registered.kode IS NOT DISTINCT FROM coalesce(latest_kode, opened ->> 'kode'), false);
END
$renja$"""

LOCK = """
CREATE OR REPLACE FUNCTION <<schema>>.renja_guard_lock() RETURNS trigger
LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $renja$
BEGIN
  PERFORM pg_advisory_xact_lock(<<lock>>);
  RETURN NULL;
END
$renja$"""

# SECURITY DEFINER: the checks read as the owner (a writer needs no grant for them to work, and
# cannot hide rows from them); session_user stays the role that logged in. Every name is
# schema-qualified and the search path pinned, so a writer's temporary table cannot stand in.
EVENT = """
CREATE OR REPLACE FUNCTION <<schema>>.renja_guard_event() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $renja$
DECLARE
  event_no text := NEW.notification_id::text;
  kind text := split_part(NEW.topic, ':', 2);
  rule record;
  body jsonb;
  recorded text;
  opening jsonb;
  opening_topic text;
  opd text;
  link record;
  previous text;
  computed text;
  mismatch record;
  who text;
  channel text;
  account_uuid uuid;
  account jsonb;
  reach text;
  unfollowed boolean;
BEGIN
  -- The chain check below reads what others committed: a snapshot older than the lock would not.
  IF current_setting('transaction_isolation') <> 'read committed' THEN
    PERFORM <<refuse>>('isolation', jsonb_build_object('event', event_no,
                                                       'isolation', current_setting('transaction_isolation')));
  END IF;
  SELECT t.permission, t.opens INTO rule FROM (VALUES <<topics>>) AS t(topic, permission, opens) WHERE t.topic = NEW.topic;
  IF NOT FOUND THEN
    PERFORM <<refuse>>('topic', jsonb_build_object('event', event_no, 'topic', left(coalesce(NEW.topic, '-'), 80)));
  END IF;
  BEGIN
    body := convert_from(NEW.state, 'UTF8')::jsonb;
    recorded := to_char((body ->> 'timestamp')::timestamptz AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"');
  EXCEPTION WHEN data_exception THEN
    body := NULL;
  END;
  IF body IS NULL OR jsonb_typeof(body) <> 'object' OR jsonb_typeof(body -> 'basis') IS DISTINCT FROM 'object'
     OR body ->> 'originator_id' IS DISTINCT FROM NEW.originator_id::text
     OR body ->> 'originator_version' IS DISTINCT FROM NEW.originator_version::text THEN
    PERFORM <<refuse>>('body', jsonb_build_object('event', event_no));
  END IF;
  -- An id above the sequence would sit after every event the application records next.
  IF NEW.notification_id > coalesce(pg_sequence_last_value(<<sequence>>::regclass), 0) THEN
    PERFORM <<refuse>>('sequence', jsonb_build_object('event', event_no));
  END IF;
  -- (A CASE inside IF would end the condition at its first THEN: PL/pgSQL's parser.)
  unfollowed := CASE WHEN rule.opens THEN NEW.originator_version <> 1
                     ELSE NEW.originator_version < 2 OR NOT EXISTS (
                       SELECT 1 FROM <<events>> p WHERE p.originator_id = NEW.originator_id
                          AND p.originator_version = NEW.originator_version - 1) END;
  IF unfollowed THEN
    PERFORM <<refuse>>('version', jsonb_build_object('event', event_no, 'version', NEW.originator_version,
                                                     'aggregate', NEW.originator_id));
  END IF;

  -- The chain: this event's own row of the time index, linked to the row before it and to the
  -- one after it (only this transaction's own, which then links back to it).
  SELECT i.* INTO link FROM <<index>> i WHERE i.notification_id = NEW.notification_id;
  IF NOT FOUND THEN
    PERFORM <<refuse>>('no-index', jsonb_build_object('event', event_no));
  END IF;
  SELECT i.hash INTO previous FROM <<index>> i WHERE i.notification_id < NEW.notification_id
   ORDER BY i.notification_id DESC LIMIT 1;
  previous := coalesce(previous, <<genesis>>);
  IF link.prev_hash IS DISTINCT FROM previous THEN
    PERFORM <<refuse>>('link', jsonb_build_object('event', event_no, 'expected', left(previous, 16),
                                                  'given', left(link.prev_hash, 16)));
  END IF;
  computed := encode(sha256(convert_to(link.prev_hash || '|' || NEW.originator_id::text || '|'
                                       || NEW.originator_version::text || '|' || NEW.topic || '|', 'UTF8')
                            || NEW.state), 'hex');
  IF link.hash IS DISTINCT FROM computed THEN
    PERFORM <<refuse>>('hash', jsonb_build_object('event', event_no, 'expected', left(computed, 16),
                                                  'given', left(link.hash, 16)));
  END IF;
  IF EXISTS (SELECT 1 FROM (SELECT i.prev_hash FROM <<index>> i WHERE i.notification_id > NEW.notification_id
                            ORDER BY i.notification_id LIMIT 1) AS following
             WHERE following.prev_hash IS DISTINCT FROM link.hash) THEN
    PERFORM <<refuse>>('order', jsonb_build_object('event', event_no));
  END IF;
  -- The rest of the index row is derived from the event (events_store.time_index.index_fields).
  SELECT c.name, c.given, c.wanted INTO mismatch FROM (VALUES
      ('originator_id', link.originator_id, NEW.originator_id::text),
      ('originator_version', link.originator_version::text, NEW.originator_version::text),
      ('event_type', link.event_type, kind),
      ('stage', link.stage, body ->> 'stage'),
      ('effective_on', link.effective_on, body -> 'basis' ->> 'effective_on'),
      ('recorded_at', link.recorded_at, recorded)) AS c(name, given, wanted)
   WHERE c.given IS DISTINCT FROM c.wanted LIMIT 1;
  IF FOUND THEN
    PERFORM <<refuse>>('index-row', jsonb_build_object('event', event_no, 'column', mismatch.name,
                                                       'given', mismatch.given, 'wanted', mismatch.wanted));
  END IF;
  IF NEW.topic IN (<<line_opened>>, <<kode_recorded>>)
     AND <<schema>>.renja_guard_register_agrees(NEW.originator_id::text) IS NOT TRUE THEN
    PERFORM <<refuse>>('register', jsonb_build_object('line', NEW.originator_id));
  END IF;

  -- Identity: who recorded it is the role that logged in, unless that role is a registered
  -- channel (the web application) recording for its logged-in user.
  who := body -> 'basis' ->> 'recorded_by';
  channel := body -> 'basis' ->> 'channel';
  IF channel IS NULL THEN
    IF who IS DISTINCT FROM session_user::text THEN
      PERFORM <<refuse>>('identity', jsonb_build_object('event', event_no, 'who', who, 'role', session_user::text));
    END IF;
  ELSIF channel IS DISTINCT FROM 'web (' || session_user::text || ')'
        OR NOT EXISTS (SELECT 1 FROM <<channels>> c WHERE c.role = session_user::text) THEN
    PERFORM <<refuse>>('channel', jsonb_build_object('event', event_no, 'channel', channel, 'role', session_user::text));
  END IF;

  -- Rights: the recorder's account as it stood before this event (its AccountOpened by name,
  -- then its latest role), and the OPD of the event's aggregate (named by its opening event).
  SELECT e.originator_id INTO account_uuid FROM <<index>> a JOIN <<events>> e ON e.notification_id = a.notification_id
   WHERE a.event_type IN (<<rare_types>>) AND a.event_type = <<account_opened_type>>
     AND e.topic = <<account_opened>> AND a.notification_id < NEW.notification_id
     AND convert_from(e.state, 'UTF8')::jsonb ->> 'name' = who
   ORDER BY a.notification_id LIMIT 1;
  IF NOT FOUND THEN
    PERFORM <<refuse>>('no-account', jsonb_build_object('event', event_no, 'who', who));
  END IF;
  SELECT convert_from(e.state, 'UTF8')::jsonb INTO account FROM <<events>> e
   WHERE e.originator_id = account_uuid AND e.topic IN (<<account_opened>>, <<role_changed>>)
     AND e.notification_id < NEW.notification_id
   ORDER BY e.originator_version DESC LIMIT 1;
  IF NEW.originator_version = 1 THEN
    opening := body;
    opening_topic := NEW.topic;
  ELSE
    SELECT convert_from(o.state, 'UTF8')::jsonb, o.topic INTO opening, opening_topic FROM <<events>> o
     WHERE o.originator_id = NEW.originator_id AND o.originator_version = 1;
  END IF;
  IF opening_topic IN (<<opd_topics>>) THEN
    opd := opening ->> 'opd';
  END IF;
  reach := CASE WHEN opd IS NULL THEN 'none'
                WHEN jsonb_typeof(account -> 'opds') = 'array' AND (account -> 'opds') ? opd THEN 'own'
                WHEN jsonb_typeof(account -> 'opds') = 'array' AND jsonb_array_length(account -> 'opds') = 0
                  THEN 'unassigned'
                ELSE 'other' END;
  IF NOT EXISTS (SELECT 1 FROM (VALUES <<policy>>) AS p(role, permission, scope)
                  WHERE p.role = account ->> 'role' AND p.permission = rule.permission AND p.scope = reach) THEN
    PERFORM <<refuse>>('rights', jsonb_build_object('event', event_no, 'who', who, 'role', account ->> 'role',
                                                    'type', kind, 'opd', coalesce(opd, '-')));
  END IF;
  RETURN NULL;
END
$renja$"""

INDEX = """
CREATE OR REPLACE FUNCTION <<schema>>.renja_guard_index() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $renja$
BEGIN
  -- The event itself is checked by its own trigger, index row included; a row without one is refused.
  IF NOT EXISTS (SELECT 1 FROM <<events>> e WHERE e.notification_id = NEW.notification_id) THEN
    PERFORM <<refuse>>('orphan-index', jsonb_build_object('event', NEW.notification_id));
  END IF;
  RETURN NULL;
END
$renja$"""

REGISTER = """
CREATE OR REPLACE FUNCTION <<schema>>.renja_guard_register() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $renja$
BEGIN
  IF <<schema>>.renja_guard_register_agrees(NEW.line_id) IS NOT TRUE THEN
    PERFORM <<refuse>>('register', jsonb_build_object('line', NEW.line_id));
  END IF;
  RETURN NULL;
END
$renja$"""

# An evidence file a non-owner stores must be named by its content: its SHA-256 and its size are
# the content's (events_store.evidence). Otherwise a hand-written row could stand, under a hash,
# for another content, and the genuine file's later insert would do nothing.
EVIDENCE = """
CREATE OR REPLACE FUNCTION <<schema>>.renja_guard_evidence() RETURNS trigger
LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $renja$
BEGIN
  IF NEW.sha256 IS DISTINCT FROM encode(sha256(NEW.isi), 'hex') OR NEW.ukuran IS DISTINCT FROM octet_length(NEW.isi) THEN
    PERFORM <<refuse>>('evidence', jsonb_build_object('sha256', left(coalesce(NEW.sha256, '-'), 16)));
  END IF;
  RETURN NULL;
END
$renja$"""

# Should a writer ever be granted more than SELECT and INSERT on the record, the record stays
# append-only all the same (a kode of the register is changed, and checked, as the events say).
APPEND_ONLY = """
CREATE OR REPLACE FUNCTION <<schema>>.renja_guard_append_only() RETURNS trigger
LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $renja$
BEGIN
  PERFORM <<refuse>>('append-only', jsonb_build_object('role', session_user::text, 'operation', TG_OP,
                                                       'table', TG_TABLE_NAME));
  RETURN NULL;
END
$renja$"""

# The constraint triggers' WHEN is evaluated as each row is written: the owner's rows are never
# queued. (Not a setting a writer could change: a catalog fact about the logged-in role.)
TRIGGERS = """
DROP TRIGGER IF EXISTS renja_guard_lock ON <<events>>;
CREATE TRIGGER renja_guard_lock BEFORE INSERT ON <<events>>
  FOR EACH STATEMENT EXECUTE FUNCTION <<schema>>.renja_guard_lock();
DROP TRIGGER IF EXISTS renja_guard ON <<events>>;
CREATE CONSTRAINT TRIGGER renja_guard AFTER INSERT ON <<events>> DEFERRABLE INITIALLY DEFERRED
  FOR EACH ROW WHEN (<<guarded>>) EXECUTE FUNCTION <<schema>>.renja_guard_event();
DROP TRIGGER IF EXISTS renja_guard ON <<index>>;
CREATE CONSTRAINT TRIGGER renja_guard AFTER INSERT ON <<index>> DEFERRABLE INITIALLY DEFERRED
  FOR EACH ROW WHEN (<<guarded>>) EXECUTE FUNCTION <<schema>>.renja_guard_index();
DROP TRIGGER IF EXISTS renja_guard ON <<lines>>;
CREATE CONSTRAINT TRIGGER renja_guard AFTER INSERT OR UPDATE ON <<lines>> DEFERRABLE INITIALLY DEFERRED
  FOR EACH ROW WHEN (<<guarded>>) EXECUTE FUNCTION <<schema>>.renja_guard_register();
DROP TRIGGER IF EXISTS renja_guard_append_only ON <<events>>;
CREATE TRIGGER renja_guard_append_only BEFORE UPDATE OR DELETE OR TRUNCATE ON <<events>>
  FOR EACH STATEMENT WHEN (<<guarded>>) EXECUTE FUNCTION <<schema>>.renja_guard_append_only();
DROP TRIGGER IF EXISTS renja_guard_append_only ON <<index>>;
CREATE TRIGGER renja_guard_append_only BEFORE UPDATE OR DELETE OR TRUNCATE ON <<index>>
  FOR EACH STATEMENT WHEN (<<guarded>>) EXECUTE FUNCTION <<schema>>.renja_guard_append_only();
DROP TRIGGER IF EXISTS renja_guard_append_only ON <<lines>>;
CREATE TRIGGER renja_guard_append_only BEFORE DELETE OR TRUNCATE ON <<lines>>
  FOR EACH STATEMENT WHEN (<<guarded>>) EXECUTE FUNCTION <<schema>>.renja_guard_append_only();
DROP TRIGGER IF EXISTS renja_guard ON <<evidence>>;
CREATE TRIGGER renja_guard AFTER INSERT ON <<evidence>>
  FOR EACH ROW WHEN (<<guarded>>) EXECUTE FUNCTION <<schema>>.renja_guard_evidence();
DROP TRIGGER IF EXISTS renja_guard_append_only ON <<evidence>>;
CREATE TRIGGER renja_guard_append_only BEFORE UPDATE OR DELETE OR TRUNCATE ON <<evidence>>
  FOR EACH STATEMENT WHEN (<<guarded>>) EXECUTE FUNCTION <<schema>>.renja_guard_append_only()"""

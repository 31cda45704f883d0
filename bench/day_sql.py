"""The SQL of a day's changes (bench/day_of_changes.py). Each statement works
on every organisation at once: `quota(org, n)` says how many subjects change
in each, and a window over md5(id, salt) picks which. Each returns the
organisation and the ids of what it changed, for marking the units."""

SIZES = """
SELECT o.id,
  (SELECT count(*) FROM staff_member s WHERE s.organisation_id = o.id AND s.left_on IS NULL)
    AS staff,
  (SELECT count(*) FROM supervision_relationship r JOIN staff_member s ON s.id = r.supervisee_id
    WHERE s.organisation_id = o.id AND r.ended_on IS NULL AND s.left_on IS NULL) AS relationships,
  (SELECT count(*) FROM case_allocation a WHERE a.organisation_id = o.id AND a.ended_on IS NULL)
    AS cases
FROM organisation o ORDER BY o.id"""

SESSIONS = """
WITH quota(org, n) AS (VALUES {quota}),
candidates AS (
  SELECT r.id, r.supervisor_id, r.supervisee_id, s.organisation_id AS org,
         row_number() OVER (PARTITION BY s.organisation_id ORDER BY md5(r.id::text || :salt)) AS k
  FROM supervision_relationship r JOIN staff_member s ON s.id = r.supervisee_id
  WHERE s.left_on IS NULL AND r.ended_on IS NULL AND r.started_on < :day
),
pick AS (SELECT c.* FROM candidates c JOIN quota q ON q.org = c.org WHERE c.k <= q.n),
held AS (
  INSERT INTO supervision_session (relationship_id, kind, status, held_on, duration_minutes,
    recorded_on, shared_on, development_discussed, record, record_status, record_version,
    created_at)
  SELECT id, 'individual', 'held', :day, 90, :day, :day, false, '{{}}',
         'awaiting_countersignature', 1, :now
  FROM pick RETURNING id, relationship_id
),
signed AS (
  INSERT INTO session_signature (session_id, version, party, staff_id, signed_on, signed_at)
  SELECT held.id, 1, 'supervisor', pick.supervisor_id, :day, :now
  FROM held JOIN pick ON pick.id = held.relationship_id RETURNING id
)
SELECT org, supervisee_id FROM pick ORDER BY org, supervisee_id"""

COUNTERSIGN = """
WITH quota(org, n) AS (VALUES {quota}),
candidates AS (
  SELECT ss.id, ss.record_version, r.supervisee_id, s.organisation_id AS org,
         row_number() OVER (PARTITION BY s.organisation_id ORDER BY md5(ss.id::text || :salt)) AS k
  FROM supervision_session ss
  JOIN supervision_relationship r ON r.id = ss.relationship_id
  JOIN staff_member s ON s.id = r.supervisee_id
  WHERE ss.record_status = 'awaiting_countersignature' AND s.left_on IS NULL AND ss.held_on < :day
),
pick AS (SELECT c.* FROM candidates c JOIN quota q ON q.org = c.org WHERE c.k <= q.n),
signed AS (
  INSERT INTO session_signature (session_id, version, party, staff_id, signed_on, signed_at)
  SELECT id, record_version, 'supervisee', supervisee_id, :day, :now FROM pick RETURNING id
),
marked AS (
  UPDATE supervision_session SET record_status = 'signed'
  WHERE id IN (SELECT id FROM pick) RETURNING id
)
SELECT org, supervisee_id FROM pick ORDER BY org, supervisee_id"""

# The worker's supervisor today: their latest relationship still running.
SUPERVISOR_OF = """(SELECT r.supervisor_id FROM supervision_relationship r
   WHERE r.supervisee_id = {worker} AND r.ended_on IS NULL AND r.started_on <= :day
   ORDER BY r.started_on DESC, r.id DESC LIMIT 1)"""

CASE_SUPERVISIONS = (
    """
WITH quota(org, n) AS (VALUES {quota}),
candidates AS (
  SELECT a.id, a.case_ref, a.worker_id, a.organisation_id AS org,
         row_number() OVER (PARTITION BY a.organisation_id ORDER BY md5(a.id::text || :salt)) AS k
  FROM case_allocation a JOIN staff_member w ON w.id = a.worker_id
  WHERE a.ended_on IS NULL AND w.left_on IS NULL AND a.allocated_on < :day
),
pick AS (
  SELECT c.*, """
    + SUPERVISOR_OF.format(worker="c.worker_id")
    + """ AS supervisor_id
  FROM candidates c JOIN quota q ON q.org = c.org WHERE c.k <= q.n
),
supervised AS (
  INSERT INTO case_supervision (allocation_id, supervisor_id, supervised_on, decision, rationale,
    next_steps, important_decision, recorded_on, created_at)
  SELECT id, supervisor_id, :day, 'Plan reviewed; actions agreed.', 'Progress discussed.',
         'Visit within 10 days.', false, :day, :now
  FROM pick WHERE supervisor_id IS NOT NULL RETURNING allocation_id
)
SELECT org, case_ref FROM pick WHERE supervisor_id IS NOT NULL ORDER BY org, case_ref"""
)

LEAVERS = """
WITH quota(org, n) AS (VALUES {quota}),
candidates AS (
  SELECT s.id, s.organisation_id AS org, s.line_manager_id, s.team_id,
         row_number() OVER (PARTITION BY s.organisation_id ORDER BY md5(s.id::text || :salt)) AS k
  FROM staff_member s
  WHERE s.role = 'social_worker' AND s.left_on IS NULL AND s.started_on < :day
    AND s.line_manager_id IS NOT NULL
),
pick AS (SELECT c.* FROM candidates c JOIN quota q ON q.org = c.org WHERE c.k <= q.n),
gone AS (UPDATE staff_member SET left_on = :day WHERE id IN (SELECT id FROM pick) RETURNING id),
ended AS (
  UPDATE supervision_relationship SET ended_on = :day
  WHERE supervisee_id IN (SELECT id FROM pick) AND ended_on IS NULL RETURNING id
),
logins AS (
  UPDATE user_account SET active = false WHERE staff_id IN (SELECT id FROM pick) RETURNING id
)
SELECT org, id, line_manager_id, team_id FROM pick ORDER BY org, id"""

# A case moves to a colleague in the same role under the same manager.
REALLOCATE = """
WITH quota(org, n) AS (VALUES {quota}),
moving AS (
  SELECT a.id, a.organisation_id AS org, a.case_ref, a.case_type, a.worker_id, a.frequency_weeks,
         a.frequency_reason, w.line_manager_id, w.role
  FROM case_allocation a JOIN staff_member w ON w.id = a.worker_id
  WHERE a.ended_on IS NULL AND {which}
),
target AS (
  SELECT m.*, (
    SELECT s.id FROM staff_member s
    WHERE s.organisation_id = m.org AND s.left_on IS NULL AND s.role = m.role
      AND s.id <> m.worker_id AND s.line_manager_id = m.line_manager_id
    ORDER BY md5(s.id::text || m.id::text) LIMIT 1
  ) AS new_worker
  FROM moving m
),
ended AS (
  UPDATE case_allocation SET ended_on = :day
  WHERE id IN (SELECT id FROM target WHERE new_worker IS NOT NULL) RETURNING id
),
started AS (
  INSERT INTO case_allocation (organisation_id, case_ref, case_type, worker_id, allocated_on,
    frequency_weeks, frequency_reason, created_at)
  SELECT org, case_ref, case_type, new_worker, :day, frequency_weeks, frequency_reason, :now
  FROM target WHERE new_worker IS NOT NULL RETURNING id
)
SELECT org, case_ref, worker_id, new_worker FROM target WHERE new_worker IS NOT NULL
ORDER BY org, case_ref"""

JOINERS = """
WITH leaving AS (
  SELECT * FROM unnest(CAST(:orgs AS int[]), CAST(:replaces AS int[]), CAST(:managers AS int[]),
                       CAST(:teams AS int[])) AS l(org, replaces, manager, team)
),
joined AS (
  INSERT INTO staff_member (organisation_id, team_id, staff_number, name, email, job_title, role,
    employment, started_on, asye, line_manager_id)
  SELECT org, team, 'J' || to_char(CAST(:day AS date), 'YYYYMMDD') || '-' || replaces,
         'New Starter ' || replaces, 'new.starter.' || replaces || '@bench.example',
         'Social Worker', 'social_worker', 'permanent', :day, false, manager
  FROM leaving RETURNING id, organisation_id, line_manager_id
),
supervised AS (
  INSERT INTO supervision_relationship (supervisor_id, supervisee_id, started_on, reason,
    created_at)
  SELECT line_manager_id, id, :day, 'new_starter', :now FROM joined RETURNING id
)
SELECT organisation_id, id, line_manager_id FROM joined ORDER BY organisation_id, id"""

CHANGE_SUPERVISOR = """
WITH quota(org, n) AS (VALUES {quota}),
candidates AS (
  SELECT r.id AS rel_id, s.id AS staff_id, s.organisation_id AS org, r.supervisor_id AS old,
         sup.line_manager_id AS grand,
         row_number() OVER (PARTITION BY s.organisation_id ORDER BY md5(r.id::text || :salt)) AS k
  FROM supervision_relationship r
  JOIN staff_member s ON s.id = r.supervisee_id
  JOIN staff_member sup ON sup.id = r.supervisor_id
  WHERE r.ended_on IS NULL AND r.started_on < :day AND s.left_on IS NULL
    AND s.role = 'social_worker' AND sup.role = 'team_manager' AND sup.left_on IS NULL
),
pick AS (
  SELECT c.*, (
    SELECT t.id FROM staff_member t
    WHERE t.organisation_id = c.org AND t.role = 'team_manager' AND t.left_on IS NULL
      AND t.id <> c.old AND t.line_manager_id IS NOT DISTINCT FROM c.grand
    ORDER BY md5(t.id::text || :salt) LIMIT 1
  ) AS new
  FROM candidates c JOIN quota q ON q.org = c.org WHERE c.k <= q.n
),
ok AS (SELECT * FROM pick WHERE new IS NOT NULL),
ended AS (
  UPDATE supervision_relationship SET ended_on = :day
  WHERE id IN (SELECT rel_id FROM ok) RETURNING id
),
started AS (
  INSERT INTO supervision_relationship (supervisor_id, supervisee_id, started_on, reason,
    created_at)
  SELECT new, staff_id, :day, 'change_of_supervisor', :now FROM ok RETURNING id
),
moved AS (
  UPDATE staff_member s SET line_manager_id = ok.new, team_id = t.team_id
  FROM ok JOIN staff_member t ON t.id = ok.new WHERE s.id = ok.staff_id RETURNING s.id
)
SELECT org, staff_id, old, new FROM ok ORDER BY org, staff_id"""

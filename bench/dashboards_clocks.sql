-- The bulk incident seed writes no SLA clocks; the dashboards bench gives each incident one resolution
-- clock (every 20th breached) so the breach and attainment figures probe a million clocks.
\timing on
INSERT INTO sla_slaclock (content_type_id, object_id, definition_id, kind, state, priority, target_minutes,
  started_at, segment_started_at, due_at, next_check_at, paused_at, elapsed_business_seconds, breached_at,
  stopped_at, warnings_sent, created_at)
SELECT (SELECT id FROM django_content_type WHERE app_label='incidents' AND model='incident'), i.id,
  (SELECT min(id) FROM sla_sladefinition), 'resolution',
  CASE WHEN i.resolved_at IS NULL THEN 'running' WHEN i.id % 20 = 0 THEN 'breached' ELSE 'met' END,
  i.priority, 480, i.created_at, i.created_at, i.created_at + interval '8 hours', NULL, NULL, 0,
  CASE WHEN i.id % 20 = 0 THEN i.created_at + interval '8 hours' END,
  i.resolved_at, '[]'::jsonb, i.created_at
FROM incidents_incident i
WHERE NOT EXISTS (SELECT 1 FROM sla_slaclock c WHERE c.object_id = i.id AND c.content_type_id =
  (SELECT id FROM django_content_type WHERE app_label='incidents' AND model='incident'));
ANALYZE sla_slaclock;

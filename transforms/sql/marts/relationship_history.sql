-- relationship_history: one row per person x snapshot date (the owner excluded). This
-- run's key metrics, snapshot_on = the as-of date; the warehouse build appends the rows of
-- earlier snapshots carried over from the previous warehouse (a rerun on the same as-of
-- date replaces that date's rows), so trends and cooling can be queried. Values are
-- copied from the marts that define them; recent = the shortest reciprocity window.
-- current_person_id is the person's id now: the build re-points the carried rows of people
-- who have since merged (warehouse.carry_history).
with

params as (select * from run_params),

recent_window as (
    select list_min(windows_d) || 'd' as time_window from metric_settings
),

strength as (select * from relationship_strength),

recency as (select * from contact_recency),

recip_all as (select * from reciprocity where time_window = 'all'),

recip_recent as (
    select *
    from reciprocity
    where time_window = (select time_window from recent_window)
),

final as (
    select
        params.as_of as snapshot_on,
        strength.person_id,
        strength.person_id as current_person_id,
        params.run_id,
        strength.strength,
        strength.strength_rank,
        strength.tier,
        recency.last_contact_at,
        recency.days_since_last_contact,
        recency.cadence_d,
        recency.days_overdue,
        recip_all.sent_count,
        recip_all.received_count,
        recip_all.balance,
        recip_recent.time_window as recent_window,
        recip_recent.sent_count as sent_count_recent,
        recip_recent.received_count as received_count_recent
    from strength
    cross join params
    left join recency on recency.person_id = strength.person_id
    left join recip_all on recip_all.person_id = strength.person_id
    left join recip_recent on recip_recent.person_id = strength.person_id
)

select * from final
order by person_id

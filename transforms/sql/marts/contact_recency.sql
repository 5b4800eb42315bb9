-- contact_recency: one row per person (the owner excluded). When we were last in touch, on
-- any channel and in each direction, as of the run's as-of date. Bulk mail never counts.
-- A connection counts as contact at 00:00 UTC of its date; invitations count either way;
-- last_sent_at / last_received_at consider messages (email, chat, LinkedIn) only.
-- Cadence: how often to be in touch. A user override (metric_settings.cadence_overrides)
-- wins; else the person's own typical gap (median days between distinct contact days, once
-- there are min_gaps_for_own_cadence gaps, never below min_cadence_d) when it is shorter
-- than the tier's cadence; else the tier's cadence. Any touch on any channel resets the due
-- date: due_on = date(last_contact_at) + cadence_d.
with

params as (select * from run_params),

settings as (select * from metric_settings),

strength as (select person_id, strength_rank, tier from relationship_strength),

overrides as (
    select unnest(cadence_overrides, recursive := true)
    from metric_settings
),

contacts as (select * from people where not is_owner),

touches as (
    select *
    from interactions
    where not is_bulk
        and occurred_at < (select as_of_end from params)
),

last_touch as (
    select
        person_id,
        min(occurred_at) as first_contact_at,
        max(occurred_at) as last_contact_at,
        max(occurred_at) filter (where direction = 'sent' and is_message) as last_sent_at,
        max(occurred_at) filter (where direction = 'received' and is_message) as last_received_at,
        count(*) as n_touches
    from touches
    group by person_id
),

touch_days as (
    select distinct person_id, (occurred_at at time zone 'UTC')::date as touched_on
    from touches
),

gaps as (
    select
        person_id,
        date_diff(
            'day',
            lag(touched_on) over (partition by person_id order by touched_on),
            touched_on
        ) as gap_d
    from touch_days
),

typical_gap as (
    select
        person_id,
        count(gap_d) as n_gaps,
        round(median(gap_d))::integer as median_gap_d
    from gaps
    where gap_d is not null
    group by person_id
),

with_days as (
    select
        contacts.person_id,
        contacts.display_name,
        last_touch.first_contact_at,
        last_touch.last_contact_at,
        last_touch.last_sent_at,
        last_touch.last_received_at,
        -- DuckDB's least() skips nulls: one direction alone is no two-way exchange
        case
            when last_touch.last_sent_at is not null and last_touch.last_received_at is not null
                then least(last_touch.last_sent_at, last_touch.last_received_at)
        end as last_two_way_at,
        date_diff('day', (last_touch.last_contact_at at time zone 'UTC')::date, params.as_of)
            as days_since_last_contact,
        date_diff('day', (last_touch.last_sent_at at time zone 'UTC')::date, params.as_of)
            as days_since_last_sent,
        date_diff('day', (last_touch.last_received_at at time zone 'UTC')::date, params.as_of)
            as days_since_last_received,
        coalesce(last_touch.n_touches, 0) as n_touches,
        params.as_of
    from contacts
    cross join params
    left join last_touch on last_touch.person_id = contacts.person_id
),

bucketed as (
    select
        *,
        case
            when days_since_last_contact is null then 'never'
            when days_since_last_contact <= 7 then '<=7d'
            when days_since_last_contact <= 30 then '<=30d'
            when days_since_last_contact <= 90 then '<=90d'
            when days_since_last_contact <= 180 then '<=180d'
            when days_since_last_contact <= 365 then '<=365d'
            else '>365d'
        end as recency_bucket
    from with_days
),

cadenced as (
    select
        bucketed.*,
        date_diff('day', (bucketed.last_two_way_at at time zone 'UTC')::date, bucketed.as_of)
            as days_since_last_two_way,
        strength.strength_rank,
        strength.tier,
        case strength.tier
            when 1 then settings.tier_1_cadence_d
            when 2 then settings.tier_2_cadence_d
            when 3 then settings.tier_3_cadence_d
            when 4 then settings.tier_4_cadence_d
            else settings.tier_5_cadence_d
        end as tier_cadence_d,
        case
            when typical_gap.n_gaps >= settings.min_gaps_for_own_cadence
                then greatest(typical_gap.median_gap_d, settings.min_cadence_d)
        end as own_cadence_d,
        typical_gap.median_gap_d as typical_gap_d,
        overrides.cadence_d as override_cadence_d
    from bucketed
    cross join settings
    left join strength on strength.person_id = bucketed.person_id
    left join typical_gap on typical_gap.person_id = bucketed.person_id
    left join overrides on overrides.person_id = bucketed.person_id
),

chosen as (
    select
        * exclude (tier_cadence_d, own_cadence_d, override_cadence_d),
        case
            when override_cadence_d is not null then override_cadence_d
            when own_cadence_d < tier_cadence_d then own_cadence_d
            else tier_cadence_d
        end as cadence_d,
        case
            when override_cadence_d is not null then 'override'
            when own_cadence_d < tier_cadence_d then 'own'
            else 'tier'
        end as cadence_source
    from cadenced
),

final as (
    select
        *,
        (last_contact_at at time zone 'UTC')::date + cadence_d as due_on,
        case
            when last_contact_at is not null then greatest(
                date_diff('day', (last_contact_at at time zone 'UTC')::date + cadence_d, as_of),
                0
            )
        end as days_overdue
    from chosen
)

select * from final
order by person_id

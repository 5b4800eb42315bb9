-- contact_recency: one row per person (the owner excluded). When we were last in touch, on
-- any channel and in each direction, as of the run's as-of date. Bulk mail never counts.
-- A connection counts as contact at 00:00 UTC of its date; invitations count either way;
-- last_sent_at / last_received_at consider messages (email, chat, LinkedIn) only.
with

params as (select * from run_params),

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
        max(occurred_at) filter (
            where direction = 'sent' and channel in ('email', 'email_chat', 'linkedin_message')
        ) as last_sent_at,
        max(occurred_at) filter (
            where direction = 'received' and channel in ('email', 'email_chat', 'linkedin_message')
        ) as last_received_at,
        count(*) as n_touches
    from touches
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
        least(last_touch.last_sent_at, last_touch.last_received_at) as last_two_way_at,
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

final as (
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
)

select * from final
order by person_id

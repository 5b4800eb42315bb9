-- network_growth: one row per calendar month (UTC), from the month of the first non-bulk
-- event to the as-of month, months without events included. How the network grows and
-- cools. A connection or invitation happens on its UTC date; "month end" is the last day
-- of the month, or the as-of date for the current month.
--   new_contacts: people whose first contact (any channel) falls in the month
--   new_connections: LinkedIn connections made in the month
--   hidden_connections: Connections.csv rows with only a date (a hidden or closed profile:
--     a connection, not a person) dated in the month; with several exports, the most any
--     one Connections.csv lists for the month
--   invitations_sent / invitations_received: invitations made in the month
--   invitations_accepted: invitations made in the month (either way) followed by a
--     connection with that person on or after the invitation's date (by the as-of date)
--   pending_invitations: invitations (either way) made by month end with no connection
--     with that person between the invitation's date and month end
--   new_two_way: people whose first two-way exchange (the later of their first sent and
--     first received message) falls in the month
--   went_dormant: people with a gap of more than dormant_after_d days after a contact day
--     d (no later contact, or the next one more than dormant_after_d days later); they are
--     dormant from d + dormant_after_d + 1, counted in that day's month (up to as_of)
--   reactivated: contact days that end such a gap, counted in their month
with

params as (select * from run_params),

settings as (select * from metric_settings),

events as (
    select *, (occurred_at at time zone 'UTC')::date as occurred_on
    from interactions
    where not is_bulk
        and occurred_at < (select as_of_end from params)
),

months as (
    select
        month_on::date as month_on,
        least((month_on + interval 1 month)::date - 1, (select as_of from params)) as month_end_on
    from (
        select unnest(generate_series(
            date_trunc('month', (select min(occurred_on) from events)),
            date_trunc('month', (select as_of from params)),
            interval 1 month
        )) as month_on
    )
    where (select count(*) from events) > 0
),

connections as (
    select person_id, min(occurred_on) as connected_on
    from events
    where channel = 'linkedin_connection'
    group by person_id
),

hidden as (
    select month_on, max(n) as n
    from (
        select
            source_file,
            date_trunc('month', (connected_at at time zone 'UTC')::date) as month_on,
            count(*) as n
        from stg_linkedin_connections
        where connection_key is null and profile_url is null and email is null
            and connected_at < (select as_of_end from params)
        group by all
    )
    group by month_on
),

invitations as (
    select
        events.person_id,
        events.direction,
        events.occurred_on,
        connections.connected_on >= events.occurred_on as is_accepted,
        connections.connected_on
    from events
    left join connections on connections.person_id = events.person_id
    where events.channel = 'linkedin_invitation'
),

firsts as (
    select
        person_id,
        min(occurred_on) as first_on,
        min(occurred_on) filter (where direction = 'sent' and is_message) as first_sent_on,
        min(occurred_on) filter (where direction = 'received' and is_message) as first_received_on
    from events
    group by person_id
),

contact_days as (
    select distinct person_id, occurred_on from events
),

gaps as (
    select
        person_id,
        occurred_on,
        lag(occurred_on) over (partition by person_id order by occurred_on) as previous_on,
        lead(occurred_on) over (partition by person_id order by occurred_on) as next_on
    from contact_days
),

dormancy as (
    select
        gaps.person_id,
        gaps.occurred_on + settings.dormant_after_d + 1 as dormant_on
    from gaps
    cross join settings
    where (gaps.next_on is null or date_diff('day', gaps.occurred_on, gaps.next_on)
            > settings.dormant_after_d)
        and gaps.occurred_on + settings.dormant_after_d + 1 <= (select as_of from params)
),

reactivation as (
    select gaps.person_id, gaps.occurred_on as reactivated_on
    from gaps
    cross join settings
    where date_diff('day', gaps.previous_on, gaps.occurred_on) > settings.dormant_after_d
),

final as (
    select
        months.month_on,
        (select count(*) from firsts
            where date_trunc('month', first_on) = months.month_on) as new_contacts,
        (select count(*) from connections
            where date_trunc('month', connected_on) = months.month_on) as new_connections,
        coalesce((select n from hidden where hidden.month_on = months.month_on), 0)
            as hidden_connections,
        (select count(*) from invitations
            where direction = 'sent' and date_trunc('month', occurred_on) = months.month_on)
            as invitations_sent,
        (select count(*) from invitations
            where direction = 'received'
                and date_trunc('month', occurred_on) = months.month_on)
            as invitations_received,
        (select count(*) from invitations
            where is_accepted and date_trunc('month', occurred_on) = months.month_on)
            as invitations_accepted,
        (select count(*) from invitations
            where occurred_on <= months.month_end_on
                and not coalesce(connected_on between occurred_on and months.month_end_on,
                    false))
            as pending_invitations,
        (select count(*) from firsts
            where first_sent_on is not null and first_received_on is not null
                and date_trunc('month', greatest(first_sent_on, first_received_on))
                    = months.month_on) as new_two_way,
        (select count(*) from dormancy
            where date_trunc('month', dormant_on) = months.month_on) as went_dormant,
        (select count(*) from reactivation
            where date_trunc('month', reactivated_on) = months.month_on) as reactivated,
        (select as_of from params) as as_of
    from months
)

select * from final
order by month_on

-- follow_up_queue: one row per open item (the owner excluded), as of the run's as-of date,
-- most urgent first. Kinds:
--   unanswered_inbound: the last message with the person in a thread came from them
--   awaiting_reply: the last message with the person in a thread came from me and their
--     reply window (reply_window_d) has passed
--   overdue_cadence: contact_recency.days_overdue > 0, for tiers up to overdue_max_tier
--   pending_invitation: their invitation with no connection on or after its date
--   invitation_not_accepted: my invitation with no connection on or after its date
--   met_no_message: a strong tie (tier up to meeting_follow_up_max_tier) I met after the
--     last message between us (or with no message ever)
-- Message, invitation and meeting items older than follow_up_horizon_d days are dropped.
-- since: the last message, the invitation (the latest one per person and direction), the
-- last meeting, or for cadence the due date (00:00 UTC); age_d = whole days from since's
-- UTC date to as_of.
-- priority (1 = most urgent): 1 for tiers 1-2, 2 for tiers 3-4, 3 for the rest; an
-- unanswered inbound message is one step more urgent (never above 1).
with

params as (select * from run_params),

settings as (select * from metric_settings),

contacts as (select * from people where not is_owner),

strength as (select person_id, tier from relationship_strength),

recency as (select * from contact_recency),

events as (
    select *
    from interactions
    where not is_bulk
        and occurred_at < (select as_of_end from params)
),

thread_last as (
    select
        person_id,
        thread_id,
        max(occurred_at) as since,
        arg_max(direction, (occurred_at, direction)) as last_direction
    from events
    where is_message
    group by person_id, thread_id
),

message_items as (
    select
        person_id,
        case last_direction when 'received' then 'unanswered_inbound' else 'awaiting_reply' end
            as item_kind,
        since,
        thread_id
    from thread_last
    cross join settings
    where last_direction = 'received'
        or epoch_us(since) + settings.reply_window_d * 86400e6
            <= epoch_us((select as_of_end from params))
),

connections as (
    select person_id, min(occurred_at) as connected_at
    from events
    where channel = 'linkedin_connection'
    group by person_id
),

invitation_items as (
    select
        invitations.person_id,
        case invitations.direction
            when 'received' then 'pending_invitation'
            else 'invitation_not_accepted'
        end as item_kind,
        invitations.since,
        null::varchar as thread_id
    from (
        select person_id, direction, max(occurred_at) as since
        from events
        where channel = 'linkedin_invitation'
        group by person_id, direction
    ) as invitations
    left join connections on connections.person_id = invitations.person_id
    where not coalesce(
        (connections.connected_at at time zone 'UTC')::date
            >= (invitations.since at time zone 'UTC')::date,
        false
    )
),

meeting_items as (
    select
        met.person_id,
        'met_no_message' as item_kind,
        met.since,
        null::varchar as thread_id
    from (
        select
            person_id,
            max(occurred_at) filter (where channel = 'meeting') as since,
            max(occurred_at) filter (where is_message) as last_message_at
        from events
        group by person_id
    ) as met
    cross join settings
    left join strength on strength.person_id = met.person_id
    where met.since is not null
        and (met.last_message_at is null or met.last_message_at < met.since)
        and coalesce(strength.tier, 5) <= settings.meeting_follow_up_max_tier
),

dated_items as (
    select * from message_items
    union all
    select * from invitation_items
    union all
    select * from meeting_items
),

recent_items as (
    select dated_items.*
    from dated_items
    cross join settings
    where date_diff('day', (since at time zone 'UTC')::date, (select as_of from params))
        <= settings.follow_up_horizon_d
),

cadence_items as (
    select
        recency.person_id,
        'overdue_cadence' as item_kind,
        recency.due_on::timestamp at time zone 'UTC' as since,
        null::varchar as thread_id
    from recency
    cross join settings
    where recency.days_overdue > 0 and recency.tier <= settings.overdue_max_tier
),

items as (
    select * from recent_items
    union all
    select * from cadence_items
),

final as (
    select
        items.person_id,
        contacts.display_name,
        items.item_kind,
        items.since,
        date_diff('day', (items.since at time zone 'UTC')::date, params.as_of) as age_d,
        items.thread_id,
        coalesce(strength.tier, 5) as tier,
        greatest(
            case
                when coalesce(strength.tier, 5) <= 2 then 1
                when coalesce(strength.tier, 5) <= 4 then 2
                else 3
            end - case when items.item_kind = 'unanswered_inbound' then 1 else 0 end,
            1
        ) as priority,
        case items.item_kind
            when 'unanswered_inbound' then 'their message has waited '
                || date_diff('day', (items.since at time zone 'UTC')::date, params.as_of)
                || ' days for your reply'
            when 'awaiting_reply' then 'no reply to your message for '
                || date_diff('day', (items.since at time zone 'UTC')::date, params.as_of)
                || ' days'
            when 'overdue_cadence' then 'overdue by ' || recency.days_overdue
                || ' days (keep in touch every ' || recency.cadence_d || ' days, tier '
                || coalesce(strength.tier, 5) || ')'
            when 'pending_invitation' then 'their invitation has waited '
                || date_diff('day', (items.since at time zone 'UTC')::date, params.as_of)
                || ' days'
            when 'met_no_message' then 'met on '
                || strftime((items.since at time zone 'UTC')::date, '%Y-%m-%d')
                || ', no message since'
            else 'your invitation is not accepted after '
                || date_diff('day', (items.since at time zone 'UTC')::date, params.as_of)
                || ' days'
        end as reason,
        params.as_of
    from items
    cross join params
    inner join contacts on contacts.person_id = items.person_id
    left join strength on strength.person_id = items.person_id
    left join recency on recency.person_id = items.person_id
)

select * from final
order by priority, age_d desc, person_id, item_kind, thread_id

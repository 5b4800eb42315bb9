-- relationship_strength: one row per person (the owner excluded). How strong the tie is,
-- as an exponentially decayed sum of non-bulk events up to the as-of date, split into
-- components so a reader can see why. Also the strength rank and the tier that rank gives
-- (tiers 1..4 by metric_settings.tier_N_size, tier 5 for the rest and for zero strength).
--   weight = base weight of the event's kind (message, meeting, connection, invitation,
--            endorsement, recommendation)
--            x cc_weight    when the person was only in Cc/Bcc of my message
--            x group_weight when the message or meeting had group_min_participants+
--                           participants
--   decay  = 0.5 ^ (age_d / half_life_d), age_d = whole days from the event's UTC date
--            to as_of
--   strength = sum(weight x decay)
with

params as (select * from run_params),

settings as (select * from metric_settings),

contacts as (select * from people where not is_owner),

events as (
    select interactions.*
    from interactions
    where not is_bulk
        and occurred_at < (select as_of_end from params)
),

weighted as (
    select
        events.person_id,
        events.channel,
        events.direction,
        events.occurred_at,
        events.is_message,
        coalesce(events.role in ('cc', 'bcc'), false) as is_cc,
        coalesce(events.n_participants >= settings.group_min_participants, false)
            and (events.is_message or events.channel = 'meeting') as is_group,
        case
            when events.is_message
                then settings.message_weight
            when events.channel = 'meeting' then settings.meeting_weight
            when events.channel = 'linkedin_connection' then settings.connection_weight
            when events.channel = 'linkedin_invitation' then settings.invitation_weight
            when events.channel = 'linkedin_endorsement' then settings.endorsement_weight
            when events.channel = 'linkedin_recommendation'
                then settings.recommendation_weight
            else 0.0
        end as base_weight,
        pow(
            0.5,
            date_diff('day', (events.occurred_at at time zone 'UTC')::date, params.as_of)
                / settings.half_life_d
        ) as decay,
        settings.cc_weight,
        settings.group_weight
    from events
    cross join params
    cross join settings
),

scored as (
    select
        *,
        base_weight
            * case when is_cc then cc_weight else 1.0 end
            * case when is_group then group_weight else 1.0 end
            * decay as score
    from weighted
),

components as (
    select
        person_id,
        sum(score) as strength,
        coalesce(sum(score) filter (where is_message and direction = 'sent'), 0.0)
            as sent_score,
        coalesce(sum(score) filter (where is_message and direction = 'received'), 0.0)
            as received_score,
        coalesce(sum(score) filter (
            where channel in ('linkedin_connection', 'linkedin_invitation')
        ), 0.0) as network_score,
        coalesce(sum(score) filter (
            where channel in ('linkedin_endorsement', 'linkedin_recommendation')
        ), 0.0) as favour_score,
        coalesce(sum(score) filter (where channel = 'meeting'), 0.0) as meeting_score,
        count(*) filter (where is_message) as n_messages,
        count(*) filter (where is_message and is_cc) as n_cc_messages,
        count(*) filter (where is_message and is_group) as n_group_messages,
        count(*) filter (where channel = 'meeting') as n_meetings,
        count(*) as n_events
    from scored
    group by person_id
),

ranked as (
    select
        contacts.person_id,
        contacts.display_name,
        coalesce(components.strength, 0.0) as strength,
        coalesce(components.sent_score, 0.0) as sent_score,
        coalesce(components.received_score, 0.0) as received_score,
        coalesce(components.network_score, 0.0) as network_score,
        coalesce(components.favour_score, 0.0) as favour_score,
        coalesce(components.meeting_score, 0.0) as meeting_score,
        coalesce(components.n_events, 0) as n_events,
        coalesce(components.n_messages, 0) as n_messages,
        coalesce(components.n_cc_messages, 0) as n_cc_messages,
        coalesce(components.n_group_messages, 0) as n_group_messages,
        coalesce(components.n_meetings, 0) as n_meetings,
        row_number() over (
            order by coalesce(components.strength, 0.0) desc, contacts.person_id
        ) as strength_rank
    from contacts
    left join components on components.person_id = contacts.person_id
),

final as (
    select
        ranked.*,
        case
            when ranked.strength <= 0 then 5
            when ranked.strength_rank <= settings.tier_1_size then 1
            when ranked.strength_rank <= settings.tier_2_size then 2
            when ranked.strength_rank <= settings.tier_3_size then 3
            when ranked.strength_rank <= settings.tier_4_size then 4
            else 5
        end as tier,
        settings.half_life_d,
        params.as_of
    from ranked
    cross join settings
    cross join params
)

select * from final
order by person_id

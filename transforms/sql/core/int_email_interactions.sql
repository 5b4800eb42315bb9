-- int_email_interactions: one row per (e-mail message x counterparty person). A message the
-- owner sent is a row for each person in To, Cc or Bcc; a message received is one row for
-- its sender. Rows are shaped as `interactions` rows before their id.
with

messages as (select * from int_email_messages),

participants as (select * from stg_email_participants),

keys as (select * from int_identity_keys where kind = 'email'),

message_people as (
    select distinct
        participants.message_key,
        participants.role,
        keys.person_id,
        keys.is_owner
    from participants
    inner join keys on keys.value = participants.address
    where participants.role in ('from', 'sender', 'to', 'cc', 'bcc')
),

message_sizes as (
    select message_key, count(distinct address) as n_participants
    from participants
    where role in ('from', 'to', 'cc', 'bcc')
    group by message_key
),

recipients as (
    select
        messages.message_key,
        message_people.person_id,
        -- a person named twice (To and Cc, or two addresses) is one counterparty
        case min(case message_people.role when 'to' then 1 when 'cc' then 2 else 3 end)
            when 1 then 'to' when 2 then 'cc' else 'bcc' end as role
    from messages
    inner join message_people
        on message_people.message_key = messages.message_key
        and message_people.role in ('to', 'cc', 'bcc')
    where messages.is_from_owner and not message_people.is_owner
    group by all
),

final as (
    select
        case when m.is_chat then 'email_chat' else 'email' end as channel,
        true as is_message,
        case when m.is_from_owner then 'sent' else 'received' end as direction,
        m.sent_at as occurred_at,
        m.thread_key as thread_id,
        coalesce(r.person_id, m.from_person_id) as person_id,
        coalesce(r.role, 'from') as role,
        coalesce(z.n_participants, 1) as n_participants,
        m.is_bulk,
        m.is_reply,
        m.message_key as event_key,
        m.source_file,
        m.location
    from messages as m
    left join recipients as r on r.message_key = m.message_key and m.is_from_owner
    left join message_sizes as z on z.message_key = m.message_key
    -- a message not from the owner has a sender who is not the owner (see int_email_messages)
    where (m.is_from_owner and r.person_id is not null)
        or (not m.is_from_owner and m.from_person_id is not null)
)

select * from final

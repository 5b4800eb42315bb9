-- interactions: one row per (event x counterparty person). An email the owner sent to three
-- people is three rows; a message received is one row for its sender; a meeting is one row
-- for each person in it. The owner is never a counterparty. Identities that resolved to no
-- person (bulk senders, role mailboxes) give no rows. Built from one intermediate model per
-- kind of source (int_*_interactions).
with

email_rows as (select * from int_email_interactions),

linkedin_message_rows as (select * from int_linkedin_message_interactions),

linkedin_network_rows as (select * from int_linkedin_network_interactions),

meeting_rows as (select * from int_meeting_interactions),

unioned as (
    select * from email_rows
    union all by name select * from linkedin_message_rows
    union all by name select * from linkedin_network_rows
    union all by name select * from meeting_rows
),

final as (
    select
        interaction_id(channel, event_key, person_id) as interaction_id,
        person_id,
        channel,
        is_message,
        direction,
        occurred_at,
        thread_id,
        role,
        n_participants::integer as n_participants,
        is_bulk,
        is_reply,
        source_file,
        location
    from unioned
)

select * from final
order by person_id, occurred_at, channel, interaction_id

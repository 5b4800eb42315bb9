-- int_linkedin_message_interactions: one row per (LinkedIn message x counterparty person).
-- A message the owner sent is a row for each other participant it went to; a message
-- received is one row for its sender. Drafts, sponsored and system rows are not events.
with

staged as (
    select *
    from stg_linkedin_messages
    where not coalesce(is_draft, false)
        and not coalesce(is_sponsored, false)
        and not coalesce(is_system, false)
),

keys as (select * from int_identity_keys where kind = 'linkedin_url'),

owner_urls as (select value as url from keys where is_owner),

-- One message given twice (two exports of the same account) counts once.
messages as (
    select
        conversation_id,
        from_url,
        from_name,
        sent_at,
        arg_min(to_urls, (source_file, location)) as to_urls,
        arg_min(direction_hint, (source_file, location)) as direction_hint,
        min(source_file) as source_file,
        min(location) as location
    from staged
    group by conversation_id, from_url, from_name, sent_at
),

tagged as (
    select
        messages.*,
        coalesce(from_url in (select url from owner_urls), false)
            or coalesce(direction_hint = 'OUTGOING', false) as is_from_owner,
        md5(concat_ws('|', conversation_id, coalesce(from_url, from_name), sent_at::varchar))
            as event_key
    from messages
),

-- Everyone who ever spoke or was addressed in a conversation (for exports without
-- RECIPIENT PROFILE URLS, the other participants are the other senders).
conversation_people as (
    select distinct conversation_id, url
    from (
        select conversation_id, from_url as url from tagged
        union all
        select conversation_id, unnest(to_urls) as url from tagged
    )
    where url is not null and url not in (select url from owner_urls)
),

conversation_sizes as (
    select conversation_id, count(*) + 1 as n_participants
    from conversation_people group by conversation_id
),

recipients as (
    select distinct t.event_key, keys.person_id
    from tagged as t
    inner join conversation_people as p on p.conversation_id = t.conversation_id
    inner join keys on keys.value = p.url
    where t.is_from_owner
        and (len(t.to_urls) = 0 or list_contains(t.to_urls, p.url))
),

final as (
    select
        'linkedin_message' as channel,
        true as is_message,
        case when t.is_from_owner then 'sent' else 'received' end as direction,
        t.sent_at as occurred_at,
        t.conversation_id as thread_id,
        coalesce(r.person_id, sender.person_id) as person_id,
        case when t.is_from_owner then 'to' else 'from' end as role,
        coalesce(z.n_participants, 2) as n_participants,
        false as is_bulk,
        null::boolean as is_reply,
        t.event_key,
        t.source_file,
        t.location
    from tagged as t
    left join recipients as r on r.event_key = t.event_key and t.is_from_owner
    left join keys as sender on sender.value = t.from_url and not t.is_from_owner
    left join conversation_sizes as z on z.conversation_id = t.conversation_id
    where coalesce(r.person_id, sender.person_id) is not null
        and coalesce(r.person_id, sender.person_id)
        not in (select person_id from keys where is_owner)
)

select * from final

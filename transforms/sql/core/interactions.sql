-- interactions: one row per (event x counterparty person). An email the owner sent to three
-- people is three rows; a message received is one row for its sender. The owner is never a
-- counterparty. Identities that resolved to no person (bulk senders, role mailboxes) give no rows.
with

owner as (select person_id from people where is_owner),

key_map as (
    select kind, value, person_id
    from person_identities
    where kind in ('email', 'linkedin_url')
),

-- email ------------------------------------------------------------------------------------

email_copies as (select * from stg_email_messages),

-- The same message in several folders or files counts once; its flags are merged.
email_messages as (
    select
        message_key,
        min(sent_at) as sent_at,
        arg_min(from_addr, (sent_at, source_file, location)) as from_addr,
        arg_min(thread_key, (sent_at, source_file, location)) as thread_key,
        arg_min(parent_message_id, (sent_at, source_file, location)) as parent_message_id,
        arg_min(subject, (sent_at, source_file, location)) as subject,
        coalesce(bool_or(is_bulk), false) as is_bulk,
        coalesce(bool_or(is_sent_folder), false) as is_sent_folder,
        coalesce(bool_or(is_draft), false) as is_draft,
        coalesce(bool_or(is_spam), false) as is_spam,
        coalesce(bool_or(kind = 'chat'), false) as is_chat,
        arg_min(source_file, (sent_at, source_file, location)) as source_file,
        arg_min(location, (sent_at, source_file, location)) as location
    from email_copies
    group by message_key
),

email_people as (
    select distinct
        participants.message_key,
        participants.role,
        key_map.person_id
    from stg_email_participants as participants
    inner join key_map
        on key_map.kind = 'email' and key_map.value = participants.address
    where participants.role in ('from', 'sender', 'to', 'cc', 'bcc')
),

email_sizes as (
    select message_key, count(distinct address) as n_participants
    from stg_email_participants
    where role in ('from', 'to', 'cc', 'bcc')
    group by message_key
),

email_direction as (
    select
        email_messages.*,
        sender.person_id as from_person_id,
        coalesce(sender.person_id in (select person_id from owner), false)
            or coalesce(email_messages.is_sent_folder, false) as is_from_owner
    from email_messages
    -- The sender of the copy chosen above (copies of one Message-ID may disagree; a
    -- message names one sender even when its From header lists several).
    left join key_map as sender
        on sender.kind = 'email' and sender.value = email_messages.from_addr
    where not email_messages.is_draft and not email_messages.is_spam
),

-- Threads without thread headers: a message with no X-GM-THRID, References or In-Reply-To
-- (old clients, some exports) joins the other such messages with the same subject (reply and
-- forward prefixes aside) and the same set of From/To/Cc addresses; a gap over 30 days starts
-- a new thread. The thread is named after its first message (which is also the root that
-- header-threaded replies point at).
email_header_less as (
    select
        d.message_key,
        d.sent_at,
        d.is_from_owner,
        lower(trim(regexp_replace(
            regexp_replace(
                coalesce(d.subject, ''),
                '^(\s*(re|fw|fwd|aw|wg|sv|vs|antw|tr|rif|r)\s*(\[\d+\])?\s*:\s*)+', '', 'i'
            ),
            '\s+', ' ', 'g'
        ))) as subject_key,
        p.people_key
    from email_direction as d
    inner join (
        select
            message_key,
            array_to_string(list_sort(list(distinct address)), ',') as people_key
        from stg_email_participants
        where role in ('from', 'to', 'cc')
        group by message_key
    ) as p on p.message_key = d.message_key
    where d.thread_key = d.message_key and d.parent_message_id is null
),

email_subject_gaps as (
    select
        *,
        lag(sent_at) over same_subject as previous_at
    from email_header_less
    where subject_key <> ''
    window same_subject as (partition by subject_key, people_key order by sent_at, message_key)
),

email_subject_runs as (
    select
        *,
        sum(case when previous_at is null or sent_at - previous_at > interval 30 days then 1
            else 0 end) over (
            partition by subject_key, people_key order by sent_at, message_key
            rows unbounded preceding
        ) as run_no
    from email_subject_gaps
),

email_subject_threads as (
    select
        message_key,
        first_value(message_key) over same_run as thread_id,
        lag(is_from_owner) over same_run as previous_from_owner
    from email_subject_runs
    window same_run as (partition by subject_key, people_key, run_no order by sent_at, message_key)
),

-- A message replies to the other side when the message it answers (In-Reply-To, else the
-- last References id) was written by the other side. When that message is not in the
-- archive, an answer is taken as one to the other side. A header-less message counts as a
-- reply when its subject starts with a reply prefix and the thread's previous message came
-- from the other side.
email_threaded as (
    select
        d.* exclude (thread_key),
        coalesce(t.thread_id, d.thread_key) as thread_key,
        case
            when d.parent_message_id is not null
                then coalesce(parent.is_from_owner <> d.is_from_owner, true)
            when t.previous_from_owner is not null
                and regexp_matches(coalesce(d.subject, ''), '^\s*(re|aw|sv|vs|antw|r)\s*:', 'i')
                then t.previous_from_owner <> d.is_from_owner
            else false
        end as is_reply
    from email_direction as d
    left join email_subject_threads as t on t.message_key = d.message_key
    left join email_direction as parent on parent.message_key = d.parent_message_id
),

email_sent as (
    select
        email_direction.message_key,
        email_people.person_id,
        -- a person named twice (To and Cc, or two addresses) is one counterparty
        case min(case email_people.role when 'to' then 1 when 'cc' then 2 else 3 end)
            when 1 then 'to' when 2 then 'cc' else 'bcc' end as role
    from email_direction
    inner join email_people
        on email_people.message_key = email_direction.message_key
        and email_people.role in ('to', 'cc', 'bcc')
    where email_direction.is_from_owner
        and email_people.person_id not in (select person_id from owner)
    group by all
),

email_rows as (
    select
        case when d.is_chat then 'email_chat' else 'email' end as channel,
        case when d.is_from_owner then 'sent' else 'received' end as direction,
        d.sent_at as occurred_at,
        d.thread_key as thread_id,
        coalesce(s.person_id, d.from_person_id) as person_id,
        coalesce(s.role, 'from') as role,
        coalesce(z.n_participants, 1) as n_participants,
        d.is_bulk,
        d.is_reply,
        d.message_key as event_key,
        d.source_file,
        d.location
    from email_threaded as d
    left join email_sent as s on s.message_key = d.message_key and d.is_from_owner
    left join email_sizes as z on z.message_key = d.message_key
    where (d.is_from_owner and s.person_id is not null)
        or (not d.is_from_owner and d.from_person_id is not null
            and d.from_person_id not in (select person_id from owner))
),

-- LinkedIn messages -----------------------------------------------------------------------

li_all as (
    select *
    from stg_linkedin_messages
    where not coalesce(is_draft, false)
        and not coalesce(is_sponsored, false)
        and not coalesce(is_system, false)
),

-- One message given twice (two exports of the same account) counts once.
li_messages as (
    select
        conversation_id,
        from_url,
        from_name,
        sent_at,
        arg_min(to_urls, (source_file, location)) as to_urls,
        arg_min(direction_hint, (source_file, location)) as direction_hint,
        min(source_file) as source_file,
        min(location) as location
    from li_all
    group by conversation_id, from_url, from_name, sent_at
),

li_owner_urls as (
    select value as url from key_map where person_id in (select person_id from owner)
        and kind = 'linkedin_url'
),

li_tagged as (
    select
        li_messages.*,
        coalesce(from_url in (select url from li_owner_urls), false)
            or coalesce(direction_hint = 'OUTGOING', false) as is_from_owner,
        md5(concat_ws('|', conversation_id, coalesce(from_url, from_name), sent_at::varchar))
            as event_key
    from li_messages
),

-- Everyone who ever spoke or was addressed in a conversation (for exports without
-- RECIPIENT PROFILE URLS, the other participants are the other senders).
li_participants as (
    select distinct conversation_id, url
    from (
        select conversation_id, from_url as url from li_tagged
        union all
        select conversation_id, unnest(to_urls) as url from li_tagged
    )
    where url is not null and url not in (select url from li_owner_urls)
),

li_sizes as (
    select conversation_id, count(*) + 1 as n_participants
    from li_participants group by conversation_id
),

li_sent as (
    select distinct t.event_key, key_map.person_id
    from li_tagged as t
    inner join li_participants as p on p.conversation_id = t.conversation_id
    inner join key_map on key_map.kind = 'linkedin_url' and key_map.value = p.url
    where t.is_from_owner
        and (len(t.to_urls) = 0 or list_contains(t.to_urls, p.url))
),

li_rows as (
    select
        'linkedin_message' as channel,
        case when t.is_from_owner then 'sent' else 'received' end as direction,
        t.sent_at as occurred_at,
        t.conversation_id as thread_id,
        coalesce(s.person_id, sender.person_id) as person_id,
        case when t.is_from_owner then 'to' else 'from' end as role,
        coalesce(z.n_participants, 2) as n_participants,
        false as is_bulk,
        null::boolean as is_reply,
        t.event_key,
        t.source_file,
        t.location
    from li_tagged as t
    left join li_sent as s on s.event_key = t.event_key and t.is_from_owner
    left join key_map as sender
        on sender.kind = 'linkedin_url' and sender.value = t.from_url and not t.is_from_owner
    left join li_sizes as z on z.conversation_id = t.conversation_id
    where coalesce(s.person_id, sender.person_id) is not null
        and coalesce(s.person_id, sender.person_id) not in (select person_id from owner)
),

-- LinkedIn connections and invitations --------------------------------------------------

-- A connection row's person, by its profile URL or its address (two equi-joins: an OR
-- join condition would compare every row with every key).
connection_people as (
    select c.*, key_map.person_id
    from stg_linkedin_connections as c
    inner join key_map
        on key_map.kind = 'linkedin_url' and key_map.value = c.profile_url
    union all
    select c.*, key_map.person_id
    from stg_linkedin_connections as c
    inner join key_map
        on key_map.kind = 'email' and key_map.value = lower(trim(c.email))
),

connection_rows as (
    select
        'linkedin_connection' as channel,
        'mutual' as direction,
        min(c.connected_at) as occurred_at,
        null as thread_id,
        c.person_id,
        null as role,
        2 as n_participants,
        false as is_bulk,
        null::boolean as is_reply,
        md5('connection|' || c.person_id) as event_key,
        min(c.source_file) as source_file,
        min(c.location) as location
    from connection_people as c
    where c.connected_at is not null
        and c.person_id not in (select person_id from owner)
    group by c.person_id
),

invitation_rows as (
    select distinct
        'linkedin_invitation' as channel,
        case when i.direction = 'OUTGOING' then 'sent' else 'received' end as direction,
        i.sent_at as occurred_at,
        null as thread_id,
        key_map.person_id,
        case when i.direction = 'OUTGOING' then 'to' else 'from' end as role,
        2 as n_participants,
        false as is_bulk,
        null::boolean as is_reply,
        md5(concat_ws('|', 'invitation', i.direction, i.sent_at::varchar, key_map.value))
            as event_key,
        i.source_file,
        i.location
    from stg_linkedin_invitations as i
    inner join key_map
        on key_map.kind = 'linkedin_url'
        and key_map.value = case when i.direction = 'OUTGOING' then i.invitee_url
            else i.inviter_url end
    where i.sent_at is not null
        and key_map.person_id not in (select person_id from owner)
),

-- LinkedIn endorsements and recommendations (favours) ------------------------------------
-- Given by the owner -> 'sent' (role 'to'); received -> 'received' (role 'from'). The same
-- favour in two exports of one account counts once. Unmapped rows give no interaction.

-- Endorsements name the other party by profile URL (scheme-less in the file, canonical in
-- staging). Rows without a URL (2021-2022 exports) and REJECTED ones give no interaction.
endorsement_rows as (
    select
        'linkedin_endorsement' as channel,
        case when e.direction = 'given' then 'sent' else 'received' end as direction,
        e.endorsed_at as occurred_at,
        null as thread_id,
        key_map.person_id,
        case when e.direction = 'given' then 'to' else 'from' end as role,
        2 as n_participants,
        false as is_bulk,
        null::boolean as is_reply,
        md5(concat_ws('|', 'endorsement', e.direction, e.endorsed_at::varchar,
            coalesce(e.skill, ''), key_map.value)) as event_key,
        min(e.source_file) as source_file,
        arg_min(e.location, (e.source_file, e.location)) as location
    from stg_linkedin_endorsements as e
    inner join key_map
        on key_map.kind = 'linkedin_url' and key_map.value = e.profile_url
    where e.endorsed_at is not null
        and coalesce(upper(e.status), '') != 'REJECTED'
        and key_map.person_id not in (select person_id from owner)
    group by all
),

-- Recommendations carry only the other party's name (plus company and title). A row maps
-- to a person only when its normalised full name (NFC, lower case, whitespace collapsed)
-- equals the normalised full name of exactly one person's connection row; otherwise
-- (no such connection, or namesakes) it gives no interaction.
connection_names as (
    select distinct
        lower(nfc_normalize(regexp_replace(trim(c.full_name), '\s+', ' ', 'g'))) as name_key,
        c.person_id
    from connection_people as c
    where c.full_name is not null
),

unique_connection_names as (
    select name_key, min(person_id) as person_id
    from connection_names
    group by name_key
    having count(distinct person_id) = 1
),

recommendation_rows as (
    select
        'linkedin_recommendation' as channel,
        case when r.direction = 'given' then 'sent' else 'received' end as direction,
        r.created_at as occurred_at,
        null as thread_id,
        names.person_id,
        case when r.direction = 'given' then 'to' else 'from' end as role,
        2 as n_participants,
        false as is_bulk,
        null::boolean as is_reply,
        md5(concat_ws('|', 'recommendation', r.direction, r.created_at::varchar,
            names.person_id)) as event_key,
        min(r.source_file) as source_file,
        arg_min(r.location, (r.source_file, r.location)) as location
    from stg_linkedin_recommendations as r
    inner join unique_connection_names as names
        on names.name_key
        = lower(nfc_normalize(regexp_replace(trim(r.full_name), '\s+', ' ', 'g')))
    where r.created_at is not null
        and names.person_id not in (select person_id from owner)
    group by all
),

unioned as (
    select * from email_rows
    union all by name select * from li_rows
    union all by name select * from connection_rows
    union all by name select * from invitation_rows
    union all by name select * from endorsement_rows
    union all by name select * from recommendation_rows
),

final as (
    select
        substr(md5(concat_ws('|', channel, event_key, person_id)), 1, 16) as interaction_id,
        person_id,
        channel,
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

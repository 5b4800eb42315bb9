-- int_linkedin_network_interactions: one row per LinkedIn connection, invitation,
-- endorsement or recommendation with a person (the owner's own never count). A connection
-- is one event per person however many rows name them; the same favour in two exports of
-- one account counts once. Rows that map to no person give no interaction.
with

connections as (select * from stg_linkedin_connections),

invitations as (select * from stg_linkedin_invitations),

endorsements as (select * from stg_linkedin_endorsements),

recommendations as (select * from stg_linkedin_recommendations),

keys as (select * from int_identity_keys),

owners as (select person_id from people where is_owner),

-- A connection row's person, by its profile URL, its address or (a row with neither) its
-- connection key (equi-joins: an OR join condition would compare every row with every key).
-- Hidden rows (a date and nothing else) match no key: hidden connections, not people.
connection_people as (
    select c.*, keys.person_id
    from connections as c
    inner join keys on keys.kind = 'linkedin_url' and keys.value = c.profile_url
    union all
    select c.*, keys.person_id
    from connections as c
    inner join keys on keys.kind = 'email' and keys.value = lower(trim(c.email))
    union all
    select c.*, keys.person_id
    from connections as c
    inner join keys on keys.kind = 'linkedin_connection' and keys.value = c.connection_key
),

connection_rows as (
    select
        'linkedin_connection' as channel,
        'mutual' as direction,
        min(c.connected_at) as occurred_at,
        null as thread_id,
        c.person_id,
        null as role,
        md5('connection|' || c.person_id) as event_key,
        min(c.source_file) as source_file,
        min(c.location) as location
    from connection_people as c
    where c.connected_at is not null
        and c.person_id not in (select person_id from owners)
    group by c.person_id
),

-- An invitation's other party by profile URL (2024+) or member URN (mid-2023 exports): a row
-- has one or the other, and a URL never equals a URN. One invitation in two exports (by
-- URN in one, by URL in the other) is one event per person.
invitation_parties as (
    select i.*, keys.person_id
    from (
        select
            *,
            case when direction = 'OUTGOING' then coalesce(invitee_url, invitee_urn)
                else coalesce(inviter_url, inviter_urn) end as party
        from invitations
    ) as i
    inner join keys on keys.kind in ('linkedin_url', 'linkedin_urn') and keys.value = i.party
),

invitation_rows as (
    select
        'linkedin_invitation' as channel,
        case when i.direction = 'OUTGOING' then 'sent' else 'received' end as direction,
        i.sent_at as occurred_at,
        null as thread_id,
        i.person_id,
        case when i.direction = 'OUTGOING' then 'to' else 'from' end as role,
        md5(concat_ws('|', 'invitation', i.direction, i.sent_at::varchar, i.person_id))
            as event_key,
        min(i.source_file) as source_file,
        arg_min(i.location, (i.source_file, i.location)) as location
    from invitation_parties as i
    where i.sent_at is not null
        and i.person_id not in (select person_id from owners)
    group by all
),

-- Favours. Endorsements name the other party by profile URL (scheme-less in the file,
-- canonical in staging); rows without a URL (2021-2022 exports) give no interaction, nor do
-- REJECTED ones and the REDACTED ones a 2022 UTF-16 copy of the received file lists beside
-- the accepted.
endorsement_favours as (
    select
        'linkedin_endorsement' as channel,
        e.direction,
        e.endorsed_at as occurred_at,
        keys.person_id,
        md5(concat_ws('|', 'endorsement', e.direction, e.endorsed_at::varchar,
            coalesce(e.skill, ''), keys.value)) as event_key,
        min(e.source_file) as source_file,
        arg_min(e.location, (e.source_file, e.location)) as location
    from endorsements as e
    inner join keys on keys.kind = 'linkedin_url' and keys.value = e.profile_url
    where e.endorsed_at is not null
        and coalesce(upper(e.status), '') not in ('REJECTED', 'REDACTED')
        and keys.person_id not in (select person_id from owners)
    group by all
),

-- Recommendations carry only the other party's name (plus company and title). A row maps
-- to a person only when its name key equals the name key of exactly one person's connection
-- row; otherwise (no such connection, or namesakes) it gives no interaction.
connection_names as (
    select distinct name_key(c.full_name) as name_key, c.person_id
    from connection_people as c
    where c.full_name is not null
),

unique_connection_names as (
    select name_key, min(person_id) as person_id
    from connection_names
    group by name_key
    having count(distinct person_id) = 1
),

recommendation_favours as (
    select
        'linkedin_recommendation' as channel,
        r.direction,
        r.created_at as occurred_at,
        names.person_id,
        md5(concat_ws('|', 'recommendation', r.direction, r.created_at::varchar,
            names.person_id)) as event_key,
        min(r.source_file) as source_file,
        arg_min(r.location, (r.source_file, r.location)) as location
    from recommendations as r
    inner join unique_connection_names as names on names.name_key = name_key(r.full_name)
    where r.created_at is not null
        and names.person_id not in (select person_id from owners)
    group by all
),

-- Given by the owner -> 'sent' (role 'to'); received -> 'received' (role 'from').
favour_rows as (
    select
        channel,
        case when direction = 'given' then 'sent' else 'received' end as direction,
        occurred_at,
        null as thread_id,
        person_id,
        case when direction = 'given' then 'to' else 'from' end as role,
        event_key,
        source_file,
        location
    from (
        select * from endorsement_favours
        union all
        select * from recommendation_favours
    )
),

events as (
    select * from connection_rows
    union all by name select * from invitation_rows
    union all by name select * from favour_rows
),

-- Two-party events, never messages, never bulk, never replies.
final as (
    select
        channel,
        false as is_message,
        direction,
        occurred_at,
        thread_id,
        person_id,
        role,
        2 as n_participants,
        false as is_bulk,
        null::boolean as is_reply,
        event_key,
        source_file,
        location
    from events
)

select * from final

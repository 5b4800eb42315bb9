-- int_meeting_interactions: one row per (meeting occurrence x counted person). An occurrence
-- is one event however many calendars hold it (same UID and occurrence): the copy with the
-- highest SEQUENCE, then the latest LAST-MODIFIED / DTSTAMP, is how it finally stands, and a
-- cancelled one is no event. It counts when the owner organised or attended it (any PARTSTAT
-- but DECLINED), for each other person in it who did not decline: the organizer (listed as
-- an attendee or not) and the attendees, each person once. Rooms, resources, groups,
-- calendars and bots are not people (stg_calendar_attendees.participant_kind). Only
-- occurrences before the end of the as-of date are meetings (the staged ones reach the
-- expansion horizon; a build on copied core tables refreshes these rows). Rows are shaped
-- as `interactions` rows before their id.
with

occurrences as (select * from stg_calendar_occurrences),

events as (select * from stg_calendar_events),

participants as (select * from stg_calendar_attendees where participant_kind = 'person'),

keys as (select * from int_identity_keys where kind = 'email'),

copies as (
    select
        o.occurrence_key,
        o.starts_at,
        o.source_file,
        o.location,
        coalesce(e.status, '') as status,
        row_number() over (
            partition by o.occurrence_key
            order by e.sequence desc, e.modified_at desc nulls last, o.source_file, o.location
        ) as copy_rank
    from occurrences as o
    inner join events as e on e.source_file = o.source_file and e.location = o.location
),

standing as (
    select occurrence_key, starts_at, source_file, location
    from copies
    where copy_rank = 1
        and status != 'CANCELLED'
        and starts_at < (select as_of_end from run_params)
),

-- Everyone in each standing occurrence, by address: declined when every attendee entry of
-- theirs says DECLINED (an organizer who is not listed as an attendee has not declined).
entries as (
    select
        s.occurrence_key,
        p.address,
        bool_or(p.role = 'organizer') as is_organizer,
        count(*) filter (where p.role = 'attendee') as n_entries,
        count(*) filter (where p.role = 'attendee' and p.partstat = 'DECLINED') as n_declined
    from standing as s
    inner join participants as p on p.source_file = s.source_file and p.location = s.location
    group by all
),

present as (
    select
        entries.occurrence_key,
        entries.address,
        entries.is_organizer,
        keys.person_id,
        coalesce(keys.is_owner, false) as is_owner
    from entries
    left join keys on keys.value = entries.address
    where not (entries.n_entries > 0 and entries.n_entries = entries.n_declined)
),

meetings as (
    select
        occurrence_key,
        count(distinct address) as n_participants,
        coalesce(bool_or(is_owner and is_organizer), false) as is_organised_by_owner,
        min(person_id) filter (where is_organizer and not is_owner) as organizer_person_id
    from present
    group by occurrence_key
    having bool_or(is_owner)
),

-- each counted person once per occurrence (two addresses of one person are one)
counted as (
    select distinct p.occurrence_key, p.person_id
    from present as p
    where p.person_id is not null and not p.is_owner
),

final as (
    select
        'meeting' as channel,
        false as is_message,
        case
            when m.is_organised_by_owner then 'sent'
            when m.organizer_person_id = c.person_id then 'received'
            else 'mutual'
        end as direction,
        s.starts_at as occurred_at,
        null as thread_id,
        c.person_id,
        case when m.organizer_person_id = c.person_id then 'from' else 'to' end as role,
        m.n_participants,
        false as is_bulk,
        null::boolean as is_reply,
        c.occurrence_key as event_key,
        s.source_file,
        s.location
    from counted as c
    inner join meetings as m on m.occurrence_key = c.occurrence_key
    inner join standing as s on s.occurrence_key = c.occurrence_key
)

select * from final

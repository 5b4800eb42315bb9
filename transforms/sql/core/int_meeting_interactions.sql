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

-- Everyone in each VEVENT, by address: declined when every attendee entry of theirs says
-- DECLINED (an organizer who is not listed as an attendee has not declined). Decided once
-- per VEVENT, not per occurrence: every occurrence standing as a VEVENT has its people.
entries as (
    select
        source_file,
        location,
        address,
        bool_or(role = 'organizer') as is_organizer,
        count(*) filter (where role = 'attendee') as n_entries,
        count(*) filter (where role = 'attendee' and partstat = 'DECLINED') as n_declined
    from participants
    group by all
),

present as (
    select
        entries.source_file,
        entries.location,
        entries.address,
        entries.is_organizer,
        keys.person_id,
        coalesce(keys.is_owner, false) as is_owner
    from entries
    left join keys on keys.value = entries.address
    where not (entries.n_entries > 0 and entries.n_entries = entries.n_declined)
),

-- the owner's VEVENTs: how many take part and who organised them
meetings as (
    select
        source_file,
        location,
        count(distinct address) as n_participants,
        coalesce(bool_or(is_owner and is_organizer), false) as is_organised_by_owner,
        min(person_id) filter (where is_organizer and not is_owner) as organizer_person_id
    from present
    group by source_file, location
    having bool_or(is_owner)
),

-- each counted person once per VEVENT (two addresses of one person are one)
counted as (
    select distinct source_file, location, person_id
    from present
    where person_id is not null and not is_owner
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
        s.occurrence_key as event_key,
        s.source_file,
        s.location
    from standing as s
    inner join meetings as m on m.source_file = s.source_file and m.location = s.location
    inner join counted as c on c.source_file = s.source_file and c.location = s.location
)

select * from final

-- introductions: one row per person who was introduced (the owner excluded). A person is
-- introduced when their very first non-bulk event is a message in a thread where another
-- person had already written to me: that person (the latest one to write in the thread
-- before the newcomer appeared; ties broken by person_id) is `introduced_by`. Typical
-- case: an acquaintance writes to me with the newcomer in Cc, and the newcomer or I then
-- write in that thread. A thread I started myself with both in it is my introduction, not
-- theirs, and gives no row. Everything as of the run's as-of date.
with

params as (select * from run_params),

events as (
    select *
    from interactions
    where not is_bulk
        and occurred_at < (select as_of_end from params)
),

firsts as (
    select person_id, min(occurred_at) as first_seen_at
    from events
    group by person_id
),

-- the thread of the first event, when that event is a message (several at once: any)
first_threads as (
    select
        firsts.person_id,
        firsts.first_seen_at,
        min(events.thread_id) as thread_id,
        min(events.channel) as channel
    from firsts
    inner join events
        on events.person_id = firsts.person_id
        and events.occurred_at = firsts.first_seen_at
        and events.thread_id is not null
        and events.is_message
    group by firsts.person_id, firsts.first_seen_at
),

candidates as (
    select
        first_threads.person_id,
        first_threads.first_seen_at,
        first_threads.thread_id,
        first_threads.channel,
        earlier.person_id as introduced_by,
        earlier.occurred_at as introduced_at,
        row_number() over (
            partition by first_threads.person_id
            order by earlier.occurred_at desc, earlier.person_id
        ) as pick
    from first_threads
    inner join events as earlier
        on earlier.thread_id = first_threads.thread_id
        and earlier.direction = 'received'
        and earlier.person_id != first_threads.person_id
        and earlier.occurred_at < first_threads.first_seen_at
),

final as (
    select
        candidates.person_id,
        candidates.introduced_by,
        candidates.first_seen_at,
        candidates.introduced_at,
        candidates.thread_id,
        candidates.channel,
        params.as_of
    from candidates
    cross join params
    where candidates.pick = 1
)

select * from final
order by person_id

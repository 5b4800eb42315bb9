-- int_window_meetings: one row per person x time window with a meeting in it (the owner
-- never has one). meetings_count: occurrences of channel meeting from the window's start
-- up to the as-of date; last_meeting_at: the latest one's start. Read by reciprocity.
with

params as (select * from run_params),

windows as (select * from int_windows),

meetings as (
    select *
    from interactions
    where channel = 'meeting'
        and occurred_at < (select as_of_end from params)
),

final as (
    select
        meetings.person_id,
        windows.time_window,
        count(*) as meetings_count,
        max(meetings.occurred_at) as last_meeting_at
    from meetings
    inner join windows
        on windows.window_start_at is null or meetings.occurred_at >= windows.window_start_at
    group by meetings.person_id, windows.time_window
)

select * from final

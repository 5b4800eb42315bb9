-- reciprocity: one row per person x time_window (the owner excluded). Is the relationship a
-- two-way street? Windows: each of metric_settings.windows_d (default '90d', '365d': the
-- N days ending with the as-of date) and 'all' (all time up to the as-of date).
-- Messages are email, chat and LinkedIn messages; bulk mail never counts; sent and
-- received are plain counts (no Cc or group weighting here).
--   balance = (sent - received) / (sent + received): +1 only I write, -1 only they write
--   reciprocity_score = 1 - |balance|
--   a reply: as in int_message_replies (the first later message the other way, in the
--   same thread with the same person, within reply_window_d days); a message whose reply
--   window is still open at the end of the as-of date is left out of the reply rate.
--   my_reply_rate = their messages I answered / their messages (theirs: the converse)
--   latencies in hours; median and p90 by linear interpolation (quantile_cont)
--   whose_turn: 'me' when the last message with the person (in the window) came from
--   them, 'them' when it came from me (a tie counts as mine)
--   favours: endorsements and recommendations given / received (channels
--   linkedin_endorsement, linkedin_recommendation), and introductions the person made
--   (see introductions.sql), counted when they happened inside the window.
--   meetings: as in int_window_meetings (they never change sent or received).
with

params as (select * from run_params),

contacts as (select * from people where not is_owner),

windows as (select * from int_windows),

events as (
    select *
    from interactions
    where not is_bulk
        and occurred_at < (select as_of_end from params)
),

replies as (select * from int_message_replies),

meeting_stats as (select * from int_window_meetings),

message_stats as (
    select
        replies.person_id,
        windows.time_window,
        count(*) filter (where direction = 'sent') as sent_count,
        count(*) filter (where direction = 'received') as received_count,
        count(distinct thread_id) as n_threads,
        count(distinct thread_id) filter (where is_started_by_me) as n_threads_started,
        count(*) filter (where direction = 'received' and is_answered) as n_answered_by_me,
        count(*) filter (where direction = 'received' and not is_open) as n_answerable_by_me,
        count(*) filter (where direction = 'sent' and is_answered) as n_answered_by_them,
        count(*) filter (where direction = 'sent' and not is_open) as n_answerable_by_them,
        quantile_cont(latency_h, 0.5) filter (where direction = 'received' and is_answered)
            as my_reply_median_h,
        quantile_cont(latency_h, 0.9) filter (where direction = 'received' and is_answered)
            as my_reply_p90_h,
        quantile_cont(latency_h, 0.5) filter (where direction = 'sent' and is_answered)
            as their_reply_median_h,
        quantile_cont(latency_h, 0.9) filter (where direction = 'sent' and is_answered)
            as their_reply_p90_h,
        arg_max(direction, (occurred_at, direction)) as last_direction
    from replies
    inner join windows
        on windows.window_start_at is null or replies.occurred_at >= windows.window_start_at
    group by replies.person_id, windows.time_window
),

favour_stats as (
    select
        events.person_id,
        windows.time_window,
        count(*) filter (
            where channel = 'linkedin_endorsement' and direction = 'sent'
        ) as endorsements_given,
        count(*) filter (
            where channel = 'linkedin_endorsement' and direction = 'received'
        ) as endorsements_received,
        count(*) filter (
            where channel = 'linkedin_recommendation' and direction = 'sent'
        ) as recommendations_given,
        count(*) filter (
            where channel = 'linkedin_recommendation' and direction = 'received'
        ) as recommendations_received
    from events
    inner join windows
        on windows.window_start_at is null or events.occurred_at >= windows.window_start_at
    where events.channel in ('linkedin_endorsement', 'linkedin_recommendation')
    group by events.person_id, windows.time_window
),

introduction_stats as (
    select
        introductions.introduced_by as person_id,
        windows.time_window,
        count(*) as introductions_received
    from introductions
    inner join windows
        on windows.window_start_at is null
        or introductions.first_seen_at >= windows.window_start_at
    group by introductions.introduced_by, windows.time_window
),

joined as (
    select
        contacts.person_id,
        contacts.display_name,
        windows.time_window,
        windows.window_d,
        windows.window_start_at,
        coalesce(m.sent_count, 0) as sent_count,
        coalesce(m.received_count, 0) as received_count,
        coalesce(m.n_threads, 0) as n_threads,
        coalesce(m.n_threads_started, 0) as n_threads_started,
        m.n_answered_by_me,
        m.n_answerable_by_me,
        m.n_answered_by_them,
        m.n_answerable_by_them,
        m.my_reply_median_h,
        m.my_reply_p90_h,
        m.their_reply_median_h,
        m.their_reply_p90_h,
        m.last_direction,
        coalesce(f.endorsements_given, 0) as endorsements_given,
        coalesce(f.endorsements_received, 0) as endorsements_received,
        coalesce(f.recommendations_given, 0) as recommendations_given,
        coalesce(f.recommendations_received, 0) as recommendations_received,
        coalesce(i.introductions_received, 0) as introductions_received,
        coalesce(mt.meetings_count, 0) as meetings_count,
        mt.last_meeting_at,
        params.as_of
    from contacts
    cross join windows
    cross join params
    left join message_stats as m
        on m.person_id = contacts.person_id and m.time_window = windows.time_window
    left join favour_stats as f
        on f.person_id = contacts.person_id and f.time_window = windows.time_window
    left join introduction_stats as i
        on i.person_id = contacts.person_id and i.time_window = windows.time_window
    left join meeting_stats as mt
        on mt.person_id = contacts.person_id and mt.time_window = windows.time_window
),

final as (
    select
        person_id,
        display_name,
        time_window,
        sent_count,
        received_count,
        sent_count + received_count as total_count,
        n_threads,
        case
            when sent_count + received_count = 0 then null
            else (sent_count - received_count)::double / (sent_count + received_count)
        end as balance,
        as_of,
        window_start_at,
        n_threads_started,
        case when n_threads > 0 then n_threads_started / n_threads end as initiation_share,
        case when n_answerable_by_me > 0 then n_answered_by_me / n_answerable_by_me end
            as my_reply_rate,
        case when n_answerable_by_them > 0 then n_answered_by_them / n_answerable_by_them end
            as their_reply_rate,
        my_reply_median_h,
        my_reply_p90_h,
        their_reply_median_h,
        their_reply_p90_h,
        case
            when sent_count + received_count = 0 then null
            else 1 - abs(sent_count - received_count)::double / (sent_count + received_count)
        end as reciprocity_score,
        case last_direction when 'received' then 'me' when 'sent' then 'them' end
            as whose_turn,
        endorsements_given,
        endorsements_received,
        recommendations_given,
        recommendations_received,
        introductions_received,
        endorsements_given + recommendations_given as favours_given,
        endorsements_received + recommendations_received + introductions_received
            as favours_received,
        meetings_count,
        last_meeting_at
    from joined
)

select final.*
from final
left join windows on windows.time_window = final.time_window
order by final.person_id, windows.window_d nulls last

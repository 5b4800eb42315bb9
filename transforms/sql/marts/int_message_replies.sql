-- int_message_replies: one row per message interaction (bulk mail and events after the
-- as-of date left out), with the answer it got. A reply is the first later message in the
-- other direction, in the same thread with the same person, within reply_window_d days
-- (inclusive); a message answered later than that is unanswered; one not yet answered
-- whose window is still open at the end of the as-of date is `is_open` (counted neither
-- way). Read by reciprocity.
with

params as (select * from run_params),

settings as (select * from metric_settings),

messages as (
    select *
    from interactions
    where not is_bulk
        and is_message
        and occurred_at < (select as_of_end from params)
),

-- who wrote the first message of each thread (any person in it)
thread_starts as (
    select
        thread_id,
        bool_or(direction = 'sent') as is_started_by_me
    from (
        select
            thread_id,
            direction,
            occurred_at = min(occurred_at) over (partition by thread_id) as is_first
        from messages
    )
    where is_first
    group by thread_id
),

sequenced as (
    select
        messages.person_id,
        messages.thread_id,
        messages.direction,
        messages.occurred_at,
        -- next message strictly later in the other direction, same person and thread
        case messages.direction
            when 'received' then min(messages.occurred_at) filter (where direction = 'sent')
                over following_rows
            else min(messages.occurred_at) filter (where direction = 'received')
                over following_rows
        end as answered_at
    from messages
    window following_rows as (
        partition by messages.person_id, messages.thread_id
        order by epoch_us(messages.occurred_at)
        range between 1 following and unbounded following
    )
),

final as (
    select
        sequenced.*,
        thread_starts.is_started_by_me,
        (epoch_us(sequenced.answered_at) - epoch_us(sequenced.occurred_at)) / 3600e6
            as latency_h,
        coalesce(
            epoch_us(sequenced.answered_at) - epoch_us(sequenced.occurred_at)
                <= settings.reply_window_d * 86400e6,
            false
        ) as is_answered,
        -- could still be answered in time after the as-of date: not counted either way
        sequenced.answered_at is null
            and epoch_us(sequenced.occurred_at) + settings.reply_window_d * 86400e6
                > epoch_us(params.as_of_end) as is_open
    from sequenced
    cross join settings
    cross join params
    left join thread_starts on thread_starts.thread_id = sequenced.thread_id
)

select * from final

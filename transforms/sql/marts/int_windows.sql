-- int_windows: one row per time window of the marts: each of metric_settings.windows_d
-- ('90d', '365d' by default: the N days ending with the as-of date, from window_start_at)
-- and 'all' (all time up to the as-of date; no start).
with

params as (select * from run_params),

final as (
    select
        window_d || 'd' as time_window,
        window_d,
        (select as_of_end from params) - to_days(window_d) as window_start_at
    from (select unnest(windows_d) as window_d from metric_settings)
    union all
    select 'all', null, null
)

select * from final

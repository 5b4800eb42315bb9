-- interactions_monthly: one row per person x calendar month (UTC) x channel x direction
-- with at least one event (the owner excluded), up to the as-of date. Plain counts of
-- non-bulk events, for trend charts; months without events have no row.
with

params as (select * from run_params),

events as (
    select *
    from interactions
    where not is_bulk
        and occurred_at < (select as_of_end from params)
),

monthly as (
    select
        person_id,
        date_trunc('month', (occurred_at at time zone 'UTC')::date)::date as month_on,
        channel,
        direction,
        count(*) as n_interactions,
        count(distinct thread_id) as n_threads
    from events
    group by all
),

final as (
    select monthly.*, params.as_of
    from monthly
    cross join params
)

select * from final
order by person_id, month_on, channel, direction

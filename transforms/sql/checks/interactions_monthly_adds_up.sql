-- interactions_monthly holds every non-bulk interaction up to the as-of date exactly once.
select 'interactions_monthly' as mart
where (select coalesce(sum(n_interactions), 0) from interactions_monthly)
    != (
        select count(*)
        from interactions
        where not is_bulk and occurred_at < (select as_of_end from run_params)
    )

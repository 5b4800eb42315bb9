-- reciprocity: one row per person x window; a shorter window never counts more than a
-- longer one; rates and shares lie in [0, 1].
select person_id
from reciprocity
group by person_id, time_window
having count(*) > 1
union all
select short.person_id
from reciprocity as short
inner join reciprocity as long
    on long.person_id = short.person_id
    and (long.time_window = 'all' or try_cast(rtrim(long.time_window, 'd') as integer)
        > try_cast(rtrim(short.time_window, 'd') as integer))
where short.time_window != 'all'
    and (short.sent_count > long.sent_count or short.received_count > long.received_count)
union all
select person_id
from reciprocity
where my_reply_rate not between 0 and 1
    or their_reply_rate not between 0 and 1
    or initiation_share not between 0 and 1
    or reciprocity_score not between 0 and 1
    or n_threads_started > n_threads

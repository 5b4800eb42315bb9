-- follow_up_queue: one item per person, kind and thread; ages never negative.
select person_id
from follow_up_queue
group by person_id, item_kind, thread_id
having count(*) > 1
union all
select person_id
from follow_up_queue
where age_d < 0 or priority not between 1 and 3

-- A person appears at most once in contact_recency.
select person_id, count(*) as n
from contact_recency
group by person_id
having count(*) > 1

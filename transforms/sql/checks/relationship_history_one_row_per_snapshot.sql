-- relationship_history: one row per person and snapshot date (reruns replace, not add).
select person_id, snapshot_on
from relationship_history
group by person_id, snapshot_on
having count(*) > 1

-- interaction_id is a key.
select interaction_id
from interactions
group by interaction_id
having count(*) > 1

-- Every interaction belongs to a known person who is not the owner.
select interactions.interaction_id
from interactions
left join people on people.person_id = interactions.person_id
where people.person_id is null or people.is_owner

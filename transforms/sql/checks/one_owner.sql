-- At most one person is the owner.
select count(*) as n_owners
from people
where is_owner
having count(*) > 1

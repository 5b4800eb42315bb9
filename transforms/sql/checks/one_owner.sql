-- Exactly one person is the owner (resolution makes it so by construction: this checks it).
select count(*) as n_owners
from people
where is_owner
having count(*) != 1

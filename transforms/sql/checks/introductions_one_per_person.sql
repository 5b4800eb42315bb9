-- introductions: a person is introduced once, never by themselves or by the owner.
select person_id
from introductions
group by person_id
having count(*) > 1
union all
select introductions.person_id
from introductions
left join people on people.person_id = introductions.introduced_by
where introductions.introduced_by = introductions.person_id
    or people.person_id is null
    or people.is_owner

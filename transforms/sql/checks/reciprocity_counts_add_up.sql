-- sent + received = total, and balance lies in [-1, 1].
select person_id
from reciprocity
where sent_count + received_count != total_count
    or balance < -1 or balance > 1

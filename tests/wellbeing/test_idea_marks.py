"""idea_marks: the person's vote and follow, and the ideas merged in, in one query."""

import pytest

from wellbeing.selectors import IdeaMarks, idea_marks
from wellbeing.services.ideas import idea_follow
from wellbeing.services.review import idea_merge
from wellbeing.services.votes import vote_cast

pytestmark = pytest.mark.django_db


def test_marks_say_what_this_person_did_and_not_what_others_did(
    idea, secamb_idea, staff_of_las, lead_of_secamb, admin_of_southern, django_assert_num_queries
):
    vote_cast(idea=idea, person=lead_of_secamb)
    idea_follow(idea=idea, person=lead_of_secamb, follow=True)
    idea_merge(idea=secamb_idea, into=idea, actor=admin_of_southern, reason="The same idea.")

    with django_assert_num_queries(1):
        assert idea_marks(idea, lead_of_secamb) == IdeaMarks(
            voted=True, following=True, merged_in_count=1
        )
    # The author follows from submitting; nobody else's vote is theirs.
    assert idea_marks(idea, staff_of_las) == IdeaMarks(
        voted=False, following=True, merged_in_count=1
    )
    assert idea_marks(secamb_idea, staff_of_las).merged_in_count == 0

"""idea_marks: the person's vote, follow, comments and reports, and the ideas merged in, in
one query."""

import pytest

from wellbeing.selectors import IdeaMarks, idea_marks
from wellbeing.services.comments import comment_flag, comment_post
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


def test_marks_say_whether_the_person_commented_or_reported_a_comment(
    idea, secamb_idea, staff_of_las, lead_of_secamb, admin_of_southern
):
    comment = comment_post(idea=idea, author=lead_of_secamb, body="We tried this at SECAmb.")
    comment_flag(comment=comment, person=admin_of_southern, reason="Off topic.")

    assert idea_marks(idea, lead_of_secamb).commented_or_flagged
    assert idea_marks(idea, admin_of_southern).commented_or_flagged
    assert not idea_marks(idea, staff_of_las).commented_or_flagged
    # Only this idea's comments count.
    assert not idea_marks(secamb_idea, lead_of_secamb).commented_or_flagged

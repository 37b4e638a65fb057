"""Sending once per user and key, dispatch after commit; reading only one's own."""

import pytest

from guanai.core.errors import AccessDenied
from guanai.notices.models import Notice, NoticeKind
from guanai.notices.selectors import notice_get_for, notice_list_for, unread_count
from guanai.notices.services import notice_read, notices_read_all, notices_send
from guanai.notices.testing import notice_build

sent: list[str] = []


class RecordingBackend:
    def send(self, notice):
        sent.append(f"{notice.user.username}:{notice.key}")


def case_notice(user, key="case:1") -> Notice:
    return Notice(user=user, kind=NoticeKind.CASE, key=key, title="新的保护个案", url="/")


@pytest.fixture
def recording(settings):
    settings.NOTICE_BACKENDS = [f"{__name__}.RecordingBackend"]
    sent.clear()
    return sent


@pytest.mark.django_db
def test_it_sends_once_per_user_and_key(users, recording, django_capture_on_commit_callbacks):
    director, supervisor = users["director_a"], users["supervisor_1"]
    with django_capture_on_commit_callbacks(execute=True):
        fresh = notices_send([case_notice(director), case_notice(supervisor)])
    assert [n.user for n in fresh] == [director, supervisor]
    assert sorted(recording) == ["director_a:case:1", "supervisor_1:case:1"]
    with django_capture_on_commit_callbacks(execute=True):
        again = notices_send([case_notice(director), case_notice(director, "case:2")])
    assert [n.key for n in again] == ["case:2"]  # case:1 was sent to the director already
    assert sorted(recording) == ["director_a:case:1", "director_a:case:2", "supervisor_1:case:1"]
    assert Notice.objects.filter(user=director).count() == 2


@pytest.mark.django_db
def test_nothing_is_dispatched_before_the_commit(
    users, recording, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        notices_send([case_notice(users["director_a"])])
    assert recording == [] and len(callbacks) == 1
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        assert notices_send([]) == []
    assert callbacks == []


@pytest.mark.django_db
def test_the_new_kinds_fit_the_column(users):
    for kind in (NoticeKind.CASE, NoticeKind.LAPSE, NoticeKind.ESCALATION):
        notice = notice_build(users["county"], key=f"k:{kind}", kind=kind)
        notice.full_clean()
        assert Notice.objects.get(pk=notice.pk).get_kind_display()


@pytest.mark.django_db
def test_a_user_reads_only_their_own(users):
    mine = notice_build(users["director_a"])
    with pytest.raises(AccessDenied):
        notice_get_for(users["director_b"], mine.pk)
    with pytest.raises(AccessDenied):
        notice_read(actor=users["director_b"], notice=mine)
    assert notice_list_for(users["director_b"]).count() == 0
    mine.refresh_from_db()
    assert mine.read_at is None
    notice_read(actor=users["director_a"], notice=mine)
    mine.refresh_from_db()
    first = mine.read_at
    assert first is not None
    notice_read(actor=users["director_a"], notice=mine)  # again: the first reading stands
    mine.refresh_from_db()
    assert mine.read_at == first


@pytest.mark.django_db
def test_read_all_marks_only_the_actors(users):
    for key in ("a", "b", "c"):
        notice_build(users["director_a"], key=key)
    theirs = notice_build(users["director_b"])
    notice_read(actor=users["director_a"], notice=Notice.objects.get(key="a"))
    assert unread_count(users["director_a"]) == 2
    assert notices_read_all(actor=users["director_a"]) == 2
    assert unread_count(users["director_a"]) == 0
    assert unread_count(users["director_b"]) == 1
    theirs.refresh_from_db()
    assert theirs.read_at is None


@pytest.mark.django_db
def test_the_list_puts_unread_first_then_the_newest(users):
    user = users["carer_a"]
    old, read, new = (notice_build(user, key=key) for key in ("old", "read", "new"))
    notice_read(actor=user, notice=read)
    assert list(notice_list_for(user)) == [new, old, read]

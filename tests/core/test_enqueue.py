"""core.tasks.enqueue: what the services hand to a worker after commit never fails them when the broker is down."""

import logging
from unittest import mock

from core.tasks import enqueue
from notifications.outbox import enqueue_sending
from notifications.tasks import send_deliveries


def test_a_task_handed_over_says_so():
    task = mock.Mock(name="task", __module__="somewhere.tasks")
    assert enqueue(task, 7, when_broker_down="未入队", kind="x") is True
    task.delay.assert_called_once_with(7, kind="x")


def test_with_the_broker_down_it_logs_what_happens_instead_and_does_not_raise(caplog):
    task = mock.Mock(name="task", __module__="somewhere.tasks")
    task.delay.side_effect = ConnectionRefusedError("broker down")
    with caplog.at_level(logging.WARNING):
        assert enqueue(task, when_broker_down="通知发送暂未入队（消息队列不可用），稍后由定时任务发送。") is False
    assert "稍后由定时任务发送" in caplog.text


def test_the_notifications_hand_over_survives_a_broker_down(caplog):
    with (
        mock.patch.object(send_deliveries, "delay", side_effect=ConnectionError("broker down")),
        caplog.at_level(logging.WARNING),
    ):
        enqueue_sending()
    assert "通知发送暂未入队" in caplog.text

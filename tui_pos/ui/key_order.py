"""Keys are handled one at a time, each by the screen that is showing once the keys before it are done.

A terminal delivers a scanner's burst, or a fast typist's `F5 1 0 Enter`, all at once. Textual
sends each key to the focused widget and runs a screen's bindings only when the key has come
back up to the app, so the keys after F5 had already gone to the checkout's scan box before F5
opened the quantity dialog; a key typed while a new dialog was still being built went to nobody;
and a priority binding (the payment dialog's tender letters) ran before the digits typed ahead
of it had reached the amount box. Here the app keeps the keys and hands each one over when:

- the keys before it are done. A `KeyTrip` message sent behind them through the same widgets
  (each widget handles its messages in order) comes back to the app after them; a second trip
  follows what they made those widgets post (an Input's Changed or Submitted), so a dialog that
  a Submitted opens also gets the keys typed after it. Keys the focused box types itself
  (digits into an amount box, letters into a search box) cannot run a binding, so a run of them
  goes straight on and is waited for only before the next other key;
- the screen showing now has handled what it was sent when it was opened or uncovered (its
  mount, its resume, its focus): a `KeyTrip` sent to it has come back.

A trip that cannot come back (its widget was removed on the way) lets the keys go within
`KEY_TRIP_TIMEOUT` seconds, and no key is held longer than `KEY_TRIP_GIVE_UP`.
"""

from __future__ import annotations

import asyncio
import time
import weakref
from collections import deque
from typing import TYPE_CHECKING, Any, TypeVar

from textual import events
from textual.message import Message

if TYPE_CHECKING:
    from textual.app import App
    from textual.message_pump import MessagePump
    from textual.screen import Screen

    _AppBase = App[None]
else:
    _AppBase = object

KEY_TRIP_TIMEOUT = 0.5  # how often a slow trip is looked at
KEY_TRIP_GIVE_UP = 5.0  # keys are never held longer than this


class KeyTrip(Message):
    """Sent behind a key (or to a new screen); when it reaches the app, what was before it is done."""


class KeysInOrder(_AppBase):
    """Mixed into the App before `App`: queues keys and hands them over in order (module docstring)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._keys_waiting: deque[events.Key] = deque()
        self._trip: KeyTrip | None = None  # the trip the next key waits for
        self._trip_target: weakref.ref[MessagePump] | None = None
        self._trip_deadline = 0.0
        self._trip_timer: asyncio.TimerHandle | None = None
        self._second_trip_due = False
        self._key_in_flight: events.Key | None = None  # handed over, not back at the app yet
        # the widget keys went to since everything was last done (weak: a closed screen must go)
        self._key_target: weakref.ref[MessagePump] | None = None
        self._key_screen: weakref.ref[Screen[object]] | None = None  # the screen that got the last key

    async def on_event(self, event: events.Event) -> None:
        if isinstance(event, events.Key) and not event.is_forwarded:
            self._keys_waiting.append(event)
            await self._hand_over_keys()
            return
        await super().on_event(event)
        if isinstance(event, events.Key) and event is self._key_in_flight:
            await self._key_came_back()

    async def on_key_trip(self, trip: KeyTrip) -> None:
        if trip is not self._trip:
            return  # overtaken (the key came back first) or given up on
        if self._second_trip_due:
            await self._follow_up()
        else:
            await self._keys_done()

    # -- inside -----------------------------------------------------------------
    async def _hand_over_keys(self) -> None:
        while self._keys_waiting and self._trip is None:
            screen = self.screen
            if screen is not _alive(self._key_screen):
                self._key_screen = weakref.ref(screen)
                self._key_target = None
                if self._send_trip(screen, second=False):
                    return  # on_key_trip carries on once the screen has mounted, resumed, focused
            key = self._keys_waiting[0]
            focused = self.focused
            target = focused or screen
            typed = focused is not None and focused.check_consume_key(key.key, key.character)
            before = _alive(self._key_target)
            # behind keys still on their way to the same widget, a key is in order anyway (one queue),
            # unless a priority binding would run it here at once, ahead of them
            if before is not None and not (before is target and (typed or not self._priority_key(key.key))):
                if self._send_trip(before, second=True):
                    return  # the keys before this one finish first
                self._key_target = None
            self._keys_waiting.popleft()
            await super().on_event(key)  # Textual's own: priority bindings, else to the focused widget
            self._key_target = weakref.ref(target)
            if typed:
                continue  # typed into the box: the next key may follow it at once
            if key.is_forwarded:  # on its way through the widgets to the screen's bindings
                self._key_in_flight = key
                if self._send_trip(target, second=True):
                    return
            elif self.screen is screen and self._send_trip(target, second=False):
                return  # a priority binding took it: follow what it posted to the focused widget
            self._forget_keys()

    def _priority_key(self, key: str) -> bool:
        """Whether a priority binding (run as the key arrives, not in the widgets' order) takes `key`."""
        return any(
            binding.priority
            for _, bindings in self.screen._binding_chain
            for binding in bindings.key_to_bindings.get(key, ())
        )

    async def _key_came_back(self) -> None:
        """The key has run the bindings of the screen it was typed on: one trip follows what they
        posted; if they opened or closed a screen, the next key waits for that screen instead."""
        self._key_in_flight = None
        await self._follow_up()

    async def _follow_up(self) -> None:
        """A second trip from the same widget, behind the messages the keys made it post."""
        target = _alive(self._key_target)
        if self.screen is _alive(self._key_screen) and target is not None and self._send_trip(target, second=False):
            return
        await self._keys_done()

    async def _keys_done(self) -> None:
        self._stop_trip()
        self._forget_keys()
        await self._hand_over_keys()

    def _forget_keys(self) -> None:
        self._key_in_flight = None
        self._key_target = None

    def _send_trip(self, target: MessagePump, *, second: bool) -> bool:
        trip = KeyTrip()
        if not target.post_message(trip):
            return False
        self._stop_trip()
        self._trip = trip
        self._trip_target = weakref.ref(target)
        self._second_trip_due = second
        self._trip_deadline = time.monotonic() + KEY_TRIP_GIVE_UP
        self._arm_trip_timer(trip)
        return True

    def _stop_trip(self) -> None:
        self._trip = None
        self._trip_target = None
        self._second_trip_due = False
        if self._trip_timer is not None:
            self._trip_timer.cancel()
            self._trip_timer = None

    def _arm_trip_timer(self, trip: KeyTrip) -> None:
        self._trip_timer = asyncio.get_running_loop().call_later(KEY_TRIP_TIMEOUT, self._trip_late, trip)

    def _trip_late(self, trip: KeyTrip) -> None:
        """A trip is slow: wait on while its widget is still there (the till is busy); give up
        if the widget was removed on the way, or after KEY_TRIP_GIVE_UP seconds."""
        if trip is not self._trip:
            return
        target = _alive(self._trip_target)
        alive = target is not None and target.is_attached and not target._closing and not target._closed
        if alive and time.monotonic() < self._trip_deadline:
            self._arm_trip_timer(trip)
        else:
            self._second_trip_due = False
            self.post_message(trip)


T = TypeVar("T")


def _alive(ref: weakref.ref[T] | None) -> T | None:
    return None if ref is None else ref()

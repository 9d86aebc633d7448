"""Maps pydantic events to stored events and back (the library's own examples do the same)."""

from __future__ import annotations

from typing import Any, cast

from eventsourcing.domain import DomainEventProtocol
from eventsourcing.persistence import Mapper, StoredEvent
from eventsourcing.utils import get_topic, resolve_topic
from pydantic import BaseModel


class PydanticMapper(Mapper):
    def to_stored_event(self, domain_event: DomainEventProtocol[Any]) -> StoredEvent:
        state = cast(BaseModel, domain_event).model_dump(mode="json")
        return StoredEvent(
            originator_id=domain_event.originator_id,
            originator_version=domain_event.originator_version,
            topic=get_topic(type(domain_event)),
            state=self.transcoder.encode(state),
        )

    def to_domain_event(self, stored_event: StoredEvent) -> DomainEventProtocol[Any]:
        return decode_event(stored_event.topic, stored_event.state, self.transcoder.decode)


def decode_event(topic: str, state: bytes, decode: Any = None) -> Any:
    import json

    data = (decode or json.loads)(state)
    event_class = resolve_topic(topic)
    return event_class.model_validate(data)

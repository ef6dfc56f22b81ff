"""Downloading what workers send (IOU photos, voice, video) before WeChat deletes it (3 days)."""
from __future__ import annotations

import mimetypes
import re

from sqlalchemy import select, update

from bot.models import Attachment, InboundMessage
from workers import context
from workers.wechat_client import PermanentWeChatError, for_context

_SAFE = re.compile(r"[^A-Za-z0-9_-]")
EXTENSIONS = {"image/jpeg": ".jpg", "audio/amr": ".amr", "audio/speex": ".speex", "video/mp4": ".mp4"}


def download_media(openid: str, media_id: str, msg_type: str) -> str:
    """Save the media file under MEDIA_DIR/<openid>/; note it on the inbound message and its Attachment."""
    ctx = context.get()
    response = for_context(ctx).media.download(media_id)
    if isinstance(response, dict):  # WeChat answered JSON: not a file
        mark_failed(media_id)
        raise PermanentWeChatError(response.get("errcode"), response.get("errmsg", "no media"))
    content_type = response.headers.get("Content-Type", "application/octet-stream").split(";")[0].strip()
    extension = EXTENSIONS.get(content_type) or mimetypes.guess_extension(content_type) or ".bin"
    folder = ctx.config.media_dir / _SAFE.sub("_", openid)
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{_SAFE.sub('_', media_id)[:100]}{extension}"
    path.write_bytes(response.content)
    size = len(response.content)
    with ctx.db.session() as s:
        for message in s.scalars(select(InboundMessage).where(InboundMessage.media_id == media_id)):
            message.payload = {**(message.payload or {}), "file": str(path), "content_type": content_type,
                               "size": size}
        s.execute(update(Attachment).where(Attachment.media_id == media_id).values(
            status="downloaded", path=str(path), content_type=content_type, size=size))
    return str(path)


def mark_failed(media_id: str) -> None:
    """The file could not be fetched (expired, or retries used up): show it on the Attachment."""
    with context.get().db.session() as s:
        s.execute(update(Attachment).where(Attachment.media_id == media_id, Attachment.status != "downloaded")
                  .values(status="failed"))
